package dev.gatehouse.identity;

import java.time.Instant;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * A session proved its user again ({@code POST /api/v1/me/step-up}); sensitive actions are allowed in
 * it for {@code gatehouse.auth.step-up-max-age}. Published inside the transaction that recorded it.
 *
 * @param userId the user
 * @param sessionId the session
 * @param method how the user proved themselves
 * @param requestId the request
 * @param occurredAt when
 */
public record StepUpPassed(
        UUID userId,
        UUID sessionId,
        ProofMethod method,
        @Nullable String requestId,
        Instant occurredAt) implements IdentityEvent {}
