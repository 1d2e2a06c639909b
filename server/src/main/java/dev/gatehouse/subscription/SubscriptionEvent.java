package dev.gatehouse.subscription;

import java.time.Instant;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * A fact the subscription module publishes, inside the transaction that made it true: public records that
 * serialize with Jackson, for other modules' listeners (credits' monthly grants, metering, webhooks later).
 */
public sealed interface SubscriptionEvent
        permits SubscriptionStarted,
                PlanChanged,
                PlanChangeScheduled,
                ScheduledPlanChangeCanceled,
                SubscriptionStateChanged,
                SubscriptionRenewed {

    /** The organization whose subscription it is. */
    UUID orgId();

    /** When it happened. */
    Instant occurredAt();

    /** The id of the HTTP request that caused it; null for the renewal job. */
    @Nullable
    String requestId();
}
