package dev.gatehouse.identity;

import java.time.Instant;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * Two-factor sign-in was turned on for a user, or re-enrolled with a new authenticator (then
 * {@code reEnrolled} is true and the old secret stopped working). Published inside the transaction
 * that made the change; a fresh set of recovery codes came with it.
 *
 * @param userId the user
 * @param sessionId the session that confirmed the enrollment
 * @param reEnrolled whether a previous authenticator was replaced
 * @param requestId the request that made the change
 * @param occurredAt when
 */
public record MfaEnabled(
        UUID userId,
        @Nullable UUID sessionId,
        boolean reEnrolled,
        @Nullable String requestId,
        Instant occurredAt) implements IdentityEvent {}
