package dev.gatehouse.subscription;

import java.time.Instant;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * An organization was created and its subscription with it, on the catalog's default plan.
 *
 * @param periodEnd when its first period ends
 */
public record SubscriptionStarted(
        UUID orgId,
        String plan,
        Instant periodEnd,
        @Nullable String requestId,
        Instant occurredAt) implements SubscriptionEvent {}
