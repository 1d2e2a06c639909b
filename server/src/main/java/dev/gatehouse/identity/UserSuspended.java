package dev.gatehouse.identity;

import java.time.Instant;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * An admin suspended a user: sign-in and refresh are refused, and every session was ended. Published
 * inside the transaction that made the change.
 *
 * @param actorId the admin
 * @param userId the user suspended
 * @param sessionsRevoked how many sessions the suspension ended (0 when the user was suspended already)
 * @param requestId the request
 * @param occurredAt when
 */
public record UserSuspended(
        UUID actorId,
        UUID userId,
        int sessionsRevoked,
        @Nullable String requestId,
        Instant occurredAt) implements IdentityEvent {}
