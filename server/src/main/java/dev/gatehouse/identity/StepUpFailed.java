package dev.gatehouse.identity;

import java.time.Instant;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * A step-up proof was wrong. After {@code gatehouse.auth.mfa.max-attempts} in a row the session is
 * ended ({@code sessionRevoked}): whoever holds its access token cannot keep guessing. Published
 * inside the transaction that counted the failure.
 *
 * @param userId the user
 * @param sessionId the session
 * @param method the kind of proof that was wrong
 * @param failures wrong proofs in a row in this session
 * @param sessionRevoked whether this failure ended the session
 * @param requestId the request
 * @param occurredAt when
 */
public record StepUpFailed(
        UUID userId,
        UUID sessionId,
        ProofMethod method,
        int failures,
        boolean sessionRevoked,
        @Nullable String requestId,
        Instant occurredAt)
        implements IdentityEvent {}
