package dev.gatehouse.subscription;

import java.time.Instant;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * The subscription's plan changed, now.
 *
 * @param actorId who changed it (a member, or an admin when {@code override}); null when a scheduled downgrade
 *     took effect at the end of a period
 * @param override whether an admin set it, with {@code reason}
 * @param reason the admin's reason (overrides only)
 */
public record PlanChanged(
        UUID orgId,
        String fromPlan,
        String toPlan,
        @Nullable UUID actorId,
        boolean override,
        @Nullable String reason,
        @Nullable String requestId,
        Instant occurredAt)
        implements SubscriptionEvent {}
