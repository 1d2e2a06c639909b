package dev.gatehouse.credits;

import static dev.gatehouse.platform.Timestamps.utc;

import dev.gatehouse.catalog.Catalog;
import dev.gatehouse.catalog.Plan;
import dev.gatehouse.subscription.CurrentPlan;
import dev.gatehouse.subscription.PlanChanged;
import dev.gatehouse.subscription.SubscriptionDirectory;
import dev.gatehouse.subscription.SubscriptionRenewed;
import dev.gatehouse.subscription.SubscriptionStarted;
import java.time.Clock;
import java.time.Instant;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.modulith.events.ApplicationModuleListener;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * The plan's included monthly credits, granted at the start of each subscription period as a block that expires
 * at the period's end. Listeners on the subscription module's events, durable through the event publication
 * registry; each grant's reference is the period (and plan), so a redelivered event grants nothing twice. An
 * upgrade during a period tops the period's grant up to the new plan's amount; a downgrade takes nothing back.
 */
@Component
class PlanGrants {

    private final Grants grants;
    private final Ledger ledger;
    private final Catalog catalog;
    private final SubscriptionDirectory subscriptions;
    private final CreditSettings settings;
    private final JdbcClient db;
    private final Clock clock;

    PlanGrants(
            Grants grants,
            Ledger ledger,
            Catalog catalog,
            SubscriptionDirectory subscriptions,
            CreditSettings settings,
            JdbcClient db,
            Clock clock) {
        this.grants = grants;
        this.ledger = ledger;
        this.catalog = catalog;
        this.subscriptions = subscriptions;
        this.settings = settings;
        this.db = db;
        this.clock = clock;
    }

    @ApplicationModuleListener
    void on(SubscriptionStarted started) {
        CurrentPlan current = subscriptions.currentPlan(started.orgId()).orElse(null);
        Instant start = current != null && current.periodEnd().equals(started.periodEnd())
                ? current.periodStart()
                : started.occurredAt();
        topUp(started.orgId(), started.plan(), start, started.periodEnd());
    }

    @ApplicationModuleListener
    void on(SubscriptionRenewed renewed) {
        topUp(renewed.orgId(), renewed.plan(), renewed.periodStart(), renewed.periodEnd());
    }

    @ApplicationModuleListener
    void on(PlanChanged changed) {
        CurrentPlan current = subscriptions.currentPlan(changed.orgId()).orElse(null);
        if (current == null) return;
        topUp(changed.orgId(), changed.toPlan(), current.periodStart(), current.periodEnd());
    }

    /** Grants what the plan includes for the period less what the period's plan grants already gave. */
    @Transactional
    void topUp(UUID org, String planKey, Instant periodStart, Instant periodEnd) {
        Plan plan = catalog.current().plans().get(planKey);
        if (plan == null || plan.includedCredits() <= 0) return;
        long included = Micros.ofWhole(plan.includedCredits());
        // Under the organization's lock: a renewal and a plan change handled at once must not both top up.
        ledger.lock(org);
        long granted = db.sql("""
                        select coalesce(sum(granted), 0) from credit_blocks
                        where org_id = :org and source = 'plan' and expires_at = :end
                        """)
                .param("org", org)
                .param("end", utc(periodEnd))
                .query(Long.class)
                .single();
        if (granted >= included) return;
        grants.grant(
                new Grants.Grant(
                        org,
                        BlockSource.PLAN,
                        included - granted,
                        settings.planGrantPriority(),
                        periodEnd,
                        "plan:" + periodStart + ":" + planKey,
                        planKey,
                        null,
                        "included monthly credits of the " + planKey + " plan",
                        null),
                clock.instant());
    }
}
