package dev.gatehouse.identity;

import java.time.Instant;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * An admin ended every session of a user. Published inside the transaction that ended them.
 *
 * @param actorId the admin
 * @param userId the user
 * @param sessionsRevoked how many sessions were ended
 * @param requestId the request
 * @param occurredAt when
 */
public record UserSessionsRevoked(
        UUID actorId,
        UUID userId,
        int sessionsRevoked,
        @Nullable String requestId,
        Instant occurredAt) implements IdentityEvent {}
