package dev.gatehouse.subscription;

import dev.gatehouse.audit.AuditEntry;
import dev.gatehouse.audit.AuditLog;
import dev.gatehouse.catalog.Catalog;
import dev.gatehouse.catalog.CatalogVersion;
import dev.gatehouse.catalog.Plan;
import dev.gatehouse.catalog.Price;
import dev.gatehouse.organization.OrgPermission;
import dev.gatehouse.organization.OrgRole;
import dev.gatehouse.organization.OrganizationDirectory;
import dev.gatehouse.organization.PermissionDenied;
import dev.gatehouse.platform.Caller;
import dev.gatehouse.platform.ChangeFeed;
import dev.gatehouse.platform.RequestIds;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Every change to a subscription: its start with the organization, a member's plan change, an admin's override,
 * its end with the organization, and the end of periods. Each locks the subscription's row, applies the
 * aggregate's method, writes, publishes its events and the change-feed entry that makes every node forget its
 * copy, all in one transaction; member and admin changes are audited in it too.
 *
 * <p>Plans are compared by monthly price: a dearer plan is an upgrade and applies at once; a cheaper one is a
 * downgrade and waits for the end of the period ({@code gatehouse.subscriptions.downgrades}), so the customer
 * keeps what they paid for. A plan of the same price applies at once.
 */
@Service
class SubscriptionChanges {

    private final Subscriptions subscriptions;
    private final SubscriptionLookup lookup;
    private final Catalog catalog;
    private final OrganizationDirectory organizations;
    private final ChangeFeed changeFeed;
    private final ApplicationEventPublisher events;
    private final AuditLog audit;
    private final TransactionTemplate tx;
    private final SubscriptionSettings settings;
    private final Clock clock;

    SubscriptionChanges(
            Subscriptions subscriptions,
            SubscriptionLookup lookup,
            Catalog catalog,
            OrganizationDirectory organizations,
            ChangeFeed changeFeed,
            ApplicationEventPublisher events,
            AuditLog audit,
            TransactionTemplate tx,
            SubscriptionSettings settings,
            Clock clock) {
        this.subscriptions = subscriptions;
        this.lookup = lookup;
        this.catalog = catalog;
        this.organizations = organizations;
        this.changeFeed = changeFeed;
        this.events = events;
        this.audit = audit;
        this.tx = tx;
        this.settings = settings;
        this.clock = clock;
    }

    /** The new organization's subscription, on the default plan; inside the organization's own transaction. */
    void start(UUID orgId, Instant at) {
        Plan plan = catalog.current().defaultPlan();
        Instant now = at.truncatedTo(ChronoUnit.MICROS);
        Subscription s = Subscription.start(orgId, plan.key(), term(plan), now);
        subscriptions.insert(s);
        events.publishEvent(new SubscriptionStarted(orgId, plan.key(), s.periodEnd(), RequestIds.current(), now));
        published(orgId);
    }

    /** A member with {@code billing.manage} moves the organization to another plan (free plans only for now). */
    Subscription change(UUID orgId, Caller caller, String planKey) {
        return Objects.requireNonNull(tx.execute(status -> {
            OrgRole role = organizations.roleOf(orgId, caller.userId()).orElseThrow(SubscriptionFailures::orgNotFound);
            if (!OrgPermission.BILLING_MANAGE.permits(role)) throw new PermissionDenied(OrgPermission.BILLING_MANAGE);
            CatalogVersion c = catalog.current();
            Plan target = c.plan(planKey).orElseThrow(() -> SubscriptionFailures.unknownPlan(planKey, c));
            Subscription s = subscriptions.lock(orgId).orElseThrow(SubscriptionFailures::orgNotFound);
            Instant now = now();
            boolean running = s.state().entitles() && s.state() != SubscriptionState.CANCELED;
            if (running && target.key().equals(s.plan())) {
                if (s.scheduledPlan() == null) return s;
                Subscription kept = s.unschedule(now);
                save(kept);
                events.publishEvent(new ScheduledPlanChangeCanceled(
                        orgId, s.plan(), s.scheduledPlan(), caller.userId(), RequestIds.current(), now));
                audit.record(entry(caller, "subscription.change_canceled", orgId)
                        .detail("plan", s.plan())
                        .detail("scheduled_plan", s.scheduledPlan()));
                return kept;
            }
            if (!target.price().free()) throw SubscriptionFailures.paidPlanNeedsAdmin(target.key());
            Price current = c.plan(s.plan()).map(Plan::price).orElse(null);
            // A trial has no paid period to keep: moving to a free plan ends it at once.
            boolean downgrade = running
                    && s.state() != SubscriptionState.TRIALING
                    && current != null
                    && target.price().monthly().compareTo(current.monthly()) < 0
                    && settings.downgrades() == SubscriptionSettings.Downgrades.PERIOD_END;
            if (downgrade) {
                Subscription scheduled = s.schedule(target.key(), now);
                save(scheduled);
                events.publishEvent(new PlanChangeScheduled(
                        orgId, s.plan(), target.key(), s.periodEnd(), caller.userId(), RequestIds.current(), now));
                audit.record(entry(caller, "subscription.change_scheduled", orgId)
                        .detail("from_plan", s.plan())
                        .detail("to_plan", target.key())
                        .detail("effective_at", s.periodEnd()));
                return scheduled;
            }
            Subscription changed = applyNow(s, target, caller.userId(), false, null, now);
            audit.record(entry(caller, "subscription.plan_changed", orgId)
                    .detail("from_plan", s.plan())
                    .detail("to_plan", target.key())
                    .detail("state", changed.state().wire()));
            return changed;
        }));
    }

    /**
     * A member with {@code billing.manage} starts a trial of a plan that offers one ({@code trial_days}): from a
     * free plan (or an ended subscription), once per organization and plan. The plan applies at once for the
     * trial's days; converting is a plan change (billing, or an admin's override), and an unconverted trial
     * expires at its end, back to the default plan's entitlements.
     */
    Subscription startTrial(UUID orgId, Caller caller, String planKey) {
        return Objects.requireNonNull(tx.execute(status -> {
            OrgRole role = organizations.roleOf(orgId, caller.userId()).orElseThrow(SubscriptionFailures::orgNotFound);
            if (!OrgPermission.BILLING_MANAGE.permits(role)) throw new PermissionDenied(OrgPermission.BILLING_MANAGE);
            CatalogVersion c = catalog.current();
            Plan target = c.plan(planKey).orElseThrow(() -> SubscriptionFailures.unknownPlan(planKey, c));
            if (target.trialDays() == 0) throw SubscriptionFailures.noTrial(target.key());
            Subscription s = subscriptions.lock(orgId).orElseThrow(SubscriptionFailures::orgNotFound);
            boolean onFreePlan = c.plan(s.plan()).map(p -> p.price().free()).orElse(true);
            boolean eligible =
                    s.state() == SubscriptionState.EXPIRED || (s.state() == SubscriptionState.ACTIVE && onFreePlan);
            if (!eligible) throw SubscriptionFailures.trialUnavailable(s.plan(), s.state());
            Instant now = now();
            if (!subscriptions.recordTrial(orgId, target.key(), now)) {
                throw SubscriptionFailures.trialUsed(target.key());
            }
            Subscription trial = s.startTrial(target.key(), target.trialDays(), now);
            save(trial);
            events.publishEvent(new SubscriptionStateChanged(
                    orgId, target.key(), s.state(), trial.state(), caller.userId(), RequestIds.current(), now));
            events.publishEvent(new PlanChanged(
                    orgId, s.plan(), target.key(), caller.userId(), false, null, RequestIds.current(), now));
            events.publishEvent(new SubscriptionRenewed(
                    orgId, trial.plan(), trial.periodStart(), trial.periodEnd(), RequestIds.current(), now));
            audit.record(entry(caller, "subscription.trial_started", orgId)
                    .detail("from_plan", s.plan())
                    .detail("plan", target.key())
                    .detail("trial_ends_at", trial.periodEnd()));
            return trial;
        }));
    }

    /** An admin sets the plan at once, whatever it costs and whatever the state, with a reason on record. */
    Subscription override(UUID orgId, Caller admin, String planKey, String reason) {
        return Objects.requireNonNull(tx.execute(status -> {
            if (!organizations.exists(orgId)) throw SubscriptionFailures.orgNotFound();
            CatalogVersion c = catalog.current();
            Plan target = c.plan(planKey).orElseThrow(() -> SubscriptionFailures.unknownPlan(planKey, c));
            Subscription s = subscriptions.lock(orgId).orElseThrow(SubscriptionFailures::orgNotFound);
            Instant now = now();
            Subscription changed = applyNow(s, target, admin.userId(), true, reason, now);
            audit.record(entry(admin, "subscription.overridden", orgId)
                    .detail("from_plan", s.plan())
                    .detail("to_plan", target.key())
                    .detail("from_state", s.state().wire())
                    .detail("state", changed.state().wire())
                    .detail("reason", reason));
            return changed;
        }));
    }

    private Subscription applyNow(
            Subscription s, Plan target, UUID actorId, boolean override, @Nullable String reason, Instant now) {
        Subscription changed = s.changePlan(target.key(), term(target), now);
        save(changed);
        if (changed.state() != s.state()) {
            events.publishEvent(new SubscriptionStateChanged(
                    s.orgId(), target.key(), s.state(), changed.state(), actorId, RequestIds.current(), now));
        }
        if (!changed.plan().equals(s.plan()) || override) {
            events.publishEvent(new PlanChanged(
                    s.orgId(), s.plan(), target.key(), actorId, override, reason, RequestIds.current(), now));
        }
        if (!changed.periodStart().equals(s.periodStart())) {
            events.publishEvent(new SubscriptionRenewed(
                    s.orgId(), changed.plan(), changed.periodStart(), changed.periodEnd(), RequestIds.current(), now));
        }
        return changed;
    }

    /**
     * The organization was deleted: its subscription ends with it (canceled, then expired, now) and is kept but no
     * longer served. Inside the deleting transaction.
     */
    void close(UUID orgId, UUID actorId, Instant at) {
        Instant now = at.truncatedTo(ChronoUnit.MICROS);
        Subscription s = subscriptions.lock(orgId).orElse(null);
        if (s == null) return;
        Subscription ended = s;
        for (SubscriptionState next : List.of(SubscriptionState.CANCELED, SubscriptionState.EXPIRED)) {
            if (ended.state().canMoveTo(next)) {
                // One update per move: the database's transition trigger checks each, as the aggregate does.
                Subscription moved = ended.moveTo(next, now).unschedule(now);
                subscriptions.update(moved);
                events.publishEvent(new SubscriptionStateChanged(
                        orgId, s.plan(), ended.state(), next, actorId, RequestIds.current(), now));
                ended = moved;
            }
        }
        published(orgId);
        subscriptions.close(orgId, now);
    }

    /** Applies the end of the period to up to {@code batch} subscriptions; returns how many it changed. */
    int renewEnded(int batch) {
        return Objects.requireNonNull(tx.execute(status -> {
            Instant now = now();
            List<Subscription> ended = subscriptions.lockEnded(now, batch);
            CatalogVersion c = catalog.current();
            for (Subscription s : ended) {
                Plan next = c.plan(s.scheduledPlan() != null ? s.scheduledPlan() : s.plan())
                        .orElseGet(c::defaultPlan);
                Subscription renewed = s.renew(term(next), now);
                save(renewed);
                if (renewed.state() != s.state()) {
                    events.publishEvent(new SubscriptionStateChanged(
                            s.orgId(), s.plan(), s.state(), renewed.state(), null, null, now));
                }
                if (!renewed.plan().equals(s.plan())) {
                    events.publishEvent(
                            new PlanChanged(s.orgId(), s.plan(), renewed.plan(), null, false, null, null, now));
                }
                if (renewed.state() == SubscriptionState.ACTIVE) {
                    events.publishEvent(new SubscriptionRenewed(
                            s.orgId(), renewed.plan(), renewed.periodStart(), renewed.periodEnd(), null, now));
                }
            }
            return ended.size();
        }));
    }

    private void save(Subscription s) {
        subscriptions.update(s);
        published(s.orgId());
    }

    /** Every node forgets its copy: this one at once and after commit, the others through the change feed. */
    private void published(UUID orgId) {
        changeFeed.publish(SubscriptionLookup.TOPIC, orgId.toString());
        lookup.evictNowAndAfterCommit(orgId);
    }

    private static AuditEntry entry(Caller caller, String action, UUID orgId) {
        return AuditEntry.by(caller, action).target("organization", orgId);
    }

    static Subscription.Term term(Plan plan) {
        return plan.price().interval() == Price.Interval.YEAR ? Subscription.Term.YEAR : Subscription.Term.MONTH;
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }
}
