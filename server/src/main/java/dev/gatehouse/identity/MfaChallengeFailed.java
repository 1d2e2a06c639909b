package dev.gatehouse.identity;

import java.time.Instant;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * A wrong (or replayed) second-factor code was presented with a valid {@code mfa_token}: someone who
 * knows the user's password is guessing, or the user mistyped. Published inside the transaction that
 * counted the attempt.
 *
 * @param userId the user whose password was proven
 * @param method {@link ProofMethod#TOTP} or {@link ProofMethod#RECOVERY_CODE}
 * @param failedAttempts wrong codes on this {@code mfa_token} so far
 * @param challengeSpent whether this attempt used up the {@code mfa_token}
 * @param ip the client's address
 * @param requestId the request
 * @param occurredAt when
 */
public record MfaChallengeFailed(
        UUID userId,
        ProofMethod method,
        int failedAttempts,
        boolean challengeSpent,
        @Nullable String ip,
        @Nullable String requestId,
        Instant occurredAt)
        implements IdentityEvent {}
