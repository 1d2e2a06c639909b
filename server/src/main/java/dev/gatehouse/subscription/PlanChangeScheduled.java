package dev.gatehouse.subscription;

import java.time.Instant;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/** A downgrade was asked for; it takes effect at {@code effectiveAt}, the end of the current period. */
public record PlanChangeScheduled(
        UUID orgId,
        String fromPlan,
        String toPlan,
        Instant effectiveAt,
        UUID actorId,
        @Nullable String requestId,
        Instant occurredAt)
        implements SubscriptionEvent {}
