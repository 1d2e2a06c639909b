package dev.gatehouse.identity;

import java.time.Instant;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * An admin deleted a user: the account can no longer sign in, every session was ended, its email was freed (another
 * account may register with it), and its row is kept. Published inside the transaction that made the change; the
 * organization module deletes the user's personal organization in it.
 *
 * @param actorId the admin
 * @param userId the user deleted
 * @param sessionsRevoked how many sessions the deletion ended
 * @param requestId the request
 * @param occurredAt when
 */
public record UserDeleted(
        UUID actorId,
        UUID userId,
        int sessionsRevoked,
        @Nullable String requestId,
        Instant occurredAt) implements IdentityEvent {}
