package dev.gatehouse.identity;

import java.time.Instant;
import java.util.UUID;

/**
 * A session was opened. Published inside the transaction that opened it.
 *
 * @param method {@code password} or {@code mfa} (the second factor completed a password sign-in)
 */
public record SignedIn(UUID userId, UUID sessionId, String method, Instant at) {}
