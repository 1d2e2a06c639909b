package dev.gatehouse.identity;

import java.time.Instant;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * A password sign-in completed its second factor and opened a session. Published inside the
 * transaction that opened it.
 *
 * @param userId the user
 * @param sessionId the session opened
 * @param method {@link ProofMethod#TOTP} or {@link ProofMethod#RECOVERY_CODE}
 * @param ip the client's address
 * @param requestId the request
 * @param occurredAt when
 */
public record MfaChallengePassed(
        UUID userId,
        UUID sessionId,
        ProofMethod method,
        @Nullable String ip,
        @Nullable String requestId,
        Instant occurredAt)
        implements IdentityEvent {}
