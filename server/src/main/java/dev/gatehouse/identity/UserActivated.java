package dev.gatehouse.identity;

import java.time.Instant;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * An admin activated a user (lifted a suspension). Published inside the transaction that made the change.
 *
 * @param actorId the admin
 * @param userId the user activated
 * @param requestId the request
 * @param occurredAt when
 */
public record UserActivated(
        UUID actorId, UUID userId, @Nullable String requestId, Instant occurredAt) implements IdentityEvent {}
