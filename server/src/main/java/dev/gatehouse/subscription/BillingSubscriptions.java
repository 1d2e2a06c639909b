package dev.gatehouse.subscription;

import dev.gatehouse.catalog.Catalog;
import dev.gatehouse.platform.ChangeFeed;
import dev.gatehouse.platform.RequestIds;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The subscription module's API for the billing module: the payment provider's word on a subscription (plan,
 * state, period) and the dunning steps. Each call locks the subscription's row, applies the aggregate's method,
 * writes and publishes the same events as a member's change, in the caller's transaction when there is one, so
 * billing's own bookkeeping commits with it.
 */
@Service
public class BillingSubscriptions {

    private final Subscriptions subscriptions;
    private final SubscriptionLookup lookup;
    private final Catalog catalog;
    private final ChangeFeed changeFeed;
    private final ApplicationEventPublisher events;
    private final TransactionTemplate tx;
    private final Clock clock;

    BillingSubscriptions(
            Subscriptions subscriptions,
            SubscriptionLookup lookup,
            Catalog catalog,
            ChangeFeed changeFeed,
            ApplicationEventPublisher events,
            TransactionTemplate tx,
            Clock clock) {
        this.subscriptions = subscriptions;
        this.lookup = lookup;
        this.catalog = catalog;
        this.changeFeed = changeFeed;
        this.events = events;
        this.tx = tx;
        this.clock = clock;
    }

    /**
     * Applies what the provider bills: the plan, the state ({@code trialing}, {@code active}, {@code past_due} or
     * {@code canceled}) and the period. A state the subscription cannot move to from where it stands is left as it
     * is (an older word from the provider never undoes dunning); plan and period apply.
     *
     * @return the subscription as it now is; empty when the organization has none (deleted) or the plan is not in
     *     the catalog
     */
    public Optional<CurrentPlan> applyBilled(
            UUID orgId, String plan, SubscriptionState state, Instant periodStart, Instant periodEnd) {
        return Objects.requireNonNull(tx.execute(status -> {
            if (catalog.current().plan(plan).isEmpty()) return Optional.<CurrentPlan>empty();
            Subscription s = subscriptions.lock(orgId).orElse(null);
            if (s == null) return Optional.<CurrentPlan>empty();
            Instant now = now();
            Instant start = periodStart.truncatedTo(ChronoUnit.MICROS);
            Instant end = periodEnd.truncatedTo(ChronoUnit.MICROS);
            if (!end.isAfter(start)) end = start.plusSeconds(1);
            Subscription billed = s.billed(plan, state, start, end, now);
            if (billed.plan().equals(s.plan())
                    && billed.state() == s.state()
                    && billed.periodStart().equals(s.periodStart())
                    && billed.periodEnd().equals(s.periodEnd())
                    && Objects.equals(billed.scheduledPlan(), s.scheduledPlan())) {
                return Optional.of(CurrentPlan.of(s));
            }
            save(billed);
            if (billed.state() != s.state()) {
                events.publishEvent(new SubscriptionStateChanged(
                        orgId, billed.plan(), s.state(), billed.state(), null, RequestIds.current(), now));
            }
            if (!billed.plan().equals(s.plan())) {
                events.publishEvent(
                        new PlanChanged(orgId, s.plan(), billed.plan(), null, false, null, RequestIds.current(), now));
            }
            if (!billed.periodStart().equals(s.periodStart())) {
                events.publishEvent(new SubscriptionRenewed(
                        orgId, billed.plan(), billed.periodStart(), billed.periodEnd(), RequestIds.current(), now));
            }
            return Optional.of(CurrentPlan.of(billed));
        }));
    }

    /**
     * A dunning step or its end: moves the subscription to {@code next} when its state table allows it from where it
     * stands.
     *
     * @return whether it moved (false when it already was there, the move is not in the table, or there is no
     *     subscription)
     */
    public boolean moveTo(UUID orgId, SubscriptionState next) {
        return Boolean.TRUE.equals(tx.execute(status -> {
            Subscription s = subscriptions.lock(orgId).orElse(null);
            if (s == null || !s.state().canMoveTo(next)) return false;
            Instant now = now();
            Subscription moved = s.moveTo(next, now);
            save(moved);
            events.publishEvent(
                    new SubscriptionStateChanged(orgId, s.plan(), s.state(), next, null, RequestIds.current(), now));
            return true;
        }));
    }

    private void save(Subscription s) {
        subscriptions.update(s);
        // As every change: each node forgets its copy (this one now and after commit, others via the feed).
        changeFeed.publish(SubscriptionLookup.TOPIC, s.orgId().toString());
        lookup.evictNowAndAfterCommit(s.orgId());
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }
}
