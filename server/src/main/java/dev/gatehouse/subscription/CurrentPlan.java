package dev.gatehouse.subscription;

import java.time.Instant;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * An organization's subscription as other modules see it.
 *
 * @param plan the subscribed plan's key (see {@link #entitled} for whether it applies)
 * @param state where the subscription stands
 * @param periodStart the current period's start
 * @param periodEnd the current period's end: when a scheduled downgrade applies, a trial ends, a canceled
 *     subscription expires
 * @param scheduledPlan a downgrade waiting for {@code periodEnd}, or null
 */
public record CurrentPlan(
        UUID orgId,
        String plan,
        SubscriptionState state,
        Instant periodStart,
        Instant periodEnd,
        @Nullable String scheduledPlan) {

    /** Whether the subscribed plan's entitlements apply (not when suspended or expired). */
    public boolean entitled() {
        return state.entitles();
    }

    static CurrentPlan of(Subscription s) {
        return new CurrentPlan(s.orgId(), s.plan(), s.state(), s.periodStart(), s.periodEnd(), s.scheduledPlan());
    }
}
