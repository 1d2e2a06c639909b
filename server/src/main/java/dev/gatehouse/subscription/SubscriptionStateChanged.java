package dev.gatehouse.subscription;

import java.time.Instant;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * The subscription moved from one state to another ({@link SubscriptionState}'s table).
 *
 * @param actorId who caused it; null for the renewal job and for the end of a deleted organization's
 *     subscription
 */
public record SubscriptionStateChanged(
        UUID orgId,
        String plan,
        SubscriptionState from,
        SubscriptionState to,
        @Nullable UUID actorId,
        @Nullable String requestId,
        Instant occurredAt)
        implements SubscriptionEvent {}
