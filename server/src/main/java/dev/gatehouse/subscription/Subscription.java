package dev.gatehouse.subscription;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * An organization's subscription: its plan, its state and the period it runs in. The only ways it changes are
 * the methods below; each refuses what the subscription cannot become ({@link SubscriptionState#moveTo}).
 *
 * @param scheduledPlan a downgrade that applies when the period ends, or null
 */
record Subscription(
        UUID orgId,
        String plan,
        SubscriptionState state,
        Instant periodStart,
        Instant periodEnd,
        @Nullable String scheduledPlan,
        @Nullable Instant canceledAt,
        Instant createdAt,
        Instant updatedAt) {

    /** How long one period lasts: a month, or a year for a plan billed yearly. */
    enum Term {
        MONTH,
        YEAR;

        Instant after(Instant start) {
            return this == YEAR
                    ? start.atOffset(ZoneOffset.UTC).plusYears(1).toInstant()
                    : start.atOffset(ZoneOffset.UTC).plusMonths(1).toInstant();
        }
    }

    /** A new organization's subscription: the plan, active, its first period starting now. */
    static Subscription start(UUID orgId, String plan, Term term, Instant now) {
        return new Subscription(orgId, plan, SubscriptionState.ACTIVE, now, term.after(now), null, null, now, now);
    }

    /**
     * The plan changed at once, any scheduled change dropped. A subscription that had ended (expired, suspended,
     * canceled) starts again, active, with a new period, and so does a trial (the plan set at once ends it); a
     * running one keeps its period.
     */
    Subscription changePlan(String newPlan, Term term, Instant now) {
        if (state.entitles() && state != SubscriptionState.CANCELED && state != SubscriptionState.TRIALING) {
            return new Subscription(orgId, newPlan, state, periodStart, periodEnd, null, canceledAt, createdAt, now);
        }
        return new Subscription(
                orgId,
                newPlan,
                state.moveTo(SubscriptionState.ACTIVE),
                now,
                term.after(now),
                null,
                null,
                createdAt,
                now);
    }

    /**
     * A trial of {@code trialPlan} for {@code days} days from now: the plan's entitlements apply until the period
     * ends, then the unconverted trial expires ({@link #renew}) and the default plan's apply again.
     */
    Subscription startTrial(String trialPlan, int days, Instant now) {
        return new Subscription(
                orgId,
                trialPlan,
                state.moveTo(SubscriptionState.TRIALING),
                now,
                now.plus(Duration.ofDays(days)),
                null,
                null,
                createdAt,
                now);
    }

    /** A change that waits for the end of the period. */
    Subscription schedule(String newPlan, Instant now) {
        if (newPlan.equals(plan)) return unschedule(now);
        return new Subscription(orgId, plan, state, periodStart, periodEnd, newPlan, canceledAt, createdAt, now);
    }

    Subscription unschedule(Instant now) {
        return new Subscription(orgId, plan, state, periodStart, periodEnd, null, canceledAt, createdAt, now);
    }

    /** A move to another state ({@link SubscriptionState}'s table). */
    Subscription moveTo(SubscriptionState next, Instant now) {
        SubscriptionState moved = state.moveTo(next);
        Instant canceled =
                moved == SubscriptionState.CANCELED ? now : moved == SubscriptionState.EXPIRED ? canceledAt : null;
        return new Subscription(orgId, plan, moved, periodStart, periodEnd, scheduledPlan, canceled, createdAt, now);
    }

    /**
     * What the payment provider says the subscription is: its plan, state and period, applied at once (any scheduled
     * change dropped, since the provider now bills the plan). A state the table cannot reach from here is not taken:
     * the state stays, the plan and period still apply.
     */
    Subscription billed(String newPlan, SubscriptionState next, Instant start, Instant end, Instant now) {
        SubscriptionState moved = next == state || !state.canMoveTo(next) ? state : next;
        Instant canceled = moved == SubscriptionState.CANCELED ? (canceledAt != null ? canceledAt : now) : null;
        return new Subscription(orgId, newPlan, moved, start, end, null, canceled, createdAt, now);
    }

    boolean periodEnded(Instant now) {
        return !periodEnd.isAfter(now);
    }

    /**
     * What the end of the period does: a canceled subscription or an unconverted trial expires; an active one
     * starts its next period, on the scheduled plan if a downgrade waits (periods missed while nothing ran are
     * skipped, so the new period contains {@code now}). Other states wait for billing.
     */
    Subscription renew(Term term, Instant now) {
        if (!periodEnded(now)) return this;
        return switch (state) {
            case TRIALING, CANCELED -> moveTo(SubscriptionState.EXPIRED, now);
            case ACTIVE -> {
                Instant start = periodEnd;
                Instant end = term.after(start);
                while (!end.isAfter(now)) {
                    start = end;
                    end = term.after(start);
                }
                String next = scheduledPlan != null ? scheduledPlan : plan;
                yield new Subscription(orgId, next, state, start, end, null, null, createdAt, now);
            }
            case PAST_DUE, GRACE, SUSPENDED, EXPIRED -> this;
        };
    }
}
