package dev.gatehouse.subscription;

import java.time.Instant;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/** A new period started (the plan's monthly credits, usage windows anchored to periods and so on start again). */
public record SubscriptionRenewed(
        UUID orgId,
        String plan,
        Instant periodStart,
        Instant periodEnd,
        @Nullable String requestId,
        Instant occurredAt) implements SubscriptionEvent {}
