package dev.gatehouse.identity;

import java.time.Instant;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * A user replaced their recovery codes; the previous ones no longer work. Published inside the
 * transaction that made the change.
 *
 * @param userId the user
 * @param sessionId the session that asked (after a step-up)
 * @param requestId the request that made the change
 * @param occurredAt when
 */
public record RecoveryCodesRegenerated(
        UUID userId, @Nullable UUID sessionId, @Nullable String requestId, Instant occurredAt)
        implements IdentityEvent {}
