package dev.gatehouse.identity;

import java.time.Instant;
import java.util.UUID;

/** A rotated refresh token was presented again outside the grace window: its whole session was revoked. */
public record RefreshTokenReused(UUID userId, UUID sessionId, Instant at) {}
