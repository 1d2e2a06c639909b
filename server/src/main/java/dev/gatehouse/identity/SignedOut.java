package dev.gatehouse.identity;

import java.time.Instant;
import java.util.UUID;

/** A session was ended by its own refresh token (logout). Published inside the transaction that ended it. */
public record SignedOut(UUID userId, UUID sessionId, Instant at) {}
