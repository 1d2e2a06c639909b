package dev.gatehouse.identity;

import java.time.Instant;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * A session was opened. Published inside the transaction that opened it.
 *
 * @param userId the user
 * @param sessionId the session opened
 * @param method the last proof of the sign-in: {@link ProofMethod#PASSWORD} for a password alone, else
 *     the second factor that completed a password sign-in ({@link ProofMethod#TOTP} or
 *     {@link ProofMethod#RECOVERY_CODE})
 * @param requestId the request
 * @param occurredAt when
 */
public record SignedIn(
        UUID userId,
        UUID sessionId,
        ProofMethod method,
        @Nullable String requestId,
        Instant occurredAt) implements IdentityEvent {}
