package dev.gatehouse.identity;

import java.time.Instant;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * A user's email address changed: the link sent to the new address was used. The old address was told.
 * Published inside the transaction that made the change.
 *
 * @param userId the user
 * @param oldEmail the address before
 * @param newEmail the address now (verified by the link)
 * @param requestId the request that used the link
 * @param occurredAt when
 */
public record EmailChanged(
        UUID userId,
        String oldEmail,
        String newEmail,
        @Nullable String requestId,
        Instant occurredAt) implements IdentityEvent {}
