package dev.gatehouse.subscription;

import java.time.Instant;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/** A scheduled downgrade to {@code scheduledPlan} was dropped: the subscription stays on {@code plan}. */
public record ScheduledPlanChangeCanceled(
        UUID orgId,
        String plan,
        String scheduledPlan,
        @Nullable UUID actorId,
        @Nullable String requestId,
        Instant occurredAt)
        implements SubscriptionEvent {}
