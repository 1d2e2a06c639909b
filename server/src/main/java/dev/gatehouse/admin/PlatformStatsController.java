package dev.gatehouse.admin;

import dev.gatehouse.catalog.Catalog;
import dev.gatehouse.catalog.CatalogVersion;
import dev.gatehouse.catalog.Plan;
import dev.gatehouse.identity.UserCounts;
import dev.gatehouse.identity.UserDirectory;
import dev.gatehouse.metering.UsageStatistics;
import dev.gatehouse.platform.Permission;
import dev.gatehouse.platform.RequiresPermission;
import dev.gatehouse.subscription.PlanStateCount;
import dev.gatehouse.subscription.SubscriptionDirectory;
import dev.gatehouse.subscription.SubscriptionState;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /api/v1/admin/stats}: the platform's figures at a glance, each read from the module that owns it
 * (accounts from identity, subscriptions from subscription, prices from the catalog, usage from metering).
 */
@RestController
class PlatformStatsController {

    /**
     * The states whose subscriptions count toward recurring revenue: paying now, or contracted until the period
     * ends (past due and grace are being collected, a canceled one runs to its period's end). Trials do not pay
     * yet; suspended and expired ones do not pay.
     */
    static final Set<SubscriptionState> RECURRING = EnumSet.of(
            SubscriptionState.ACTIVE, SubscriptionState.PAST_DUE, SubscriptionState.GRACE, SubscriptionState.CANCELED);

    private final UserDirectory users;
    private final SubscriptionDirectory subscriptions;
    private final Catalog catalog;
    private final UsageStatistics usage;
    private final Clock clock;

    PlatformStatsController(
            UserDirectory users,
            SubscriptionDirectory subscriptions,
            Catalog catalog,
            UsageStatistics usage,
            Clock clock) {
        this.users = users;
        this.subscriptions = subscriptions;
        this.catalog = catalog;
        this.usage = usage;
        this.clock = clock;
    }

    /**
     * @param total active and suspended accounts
     * @param deleted accounts deleted by an admin (kept, not counted in total)
     */
    @Schema(name = "StatsUsers")
    record Users(long total, long active, long suspended, long deleted) {}

    /**
     * @param byPlan organizations by the plan that applies to them now (a suspended or expired subscription's
     *     organization is on the default plan)
     * @param bySubscriptionState organizations by their subscription's state (trialing, active, ...)
     */
    @Schema(name = "StatsOrganizations")
    record Organizations(long total, Map<String, Long> byPlan, Map<String, Long> bySubscriptionState) {}

    /** Monthly recurring revenue in one currency: yearly prices count for a twelfth. */
    @Schema(name = "StatsRevenue")
    record Revenue(String currency, BigDecimal amount) {}

    /** @param eventsToday usage events accepted whose timestamps fall on today (UTC) */
    @Schema(name = "StatsUsage")
    record Usage(LocalDate day, long eventsToday) {}

    /** @param mrr monthly recurring revenue from the catalog's current prices, one entry per currency */
    @Schema(name = "PlatformStats")
    record Stats(Instant generatedAt, Users users, Organizations organizations, List<Revenue> mrr, Usage usage) {}

    @Operation(
            operationId = "getPlatformStats",
            summary = "Platform statistics: accounts, organizations by plan, MRR, usage events today (stats.read)",
            description = "Read now, not cached. MRR sums the current catalog's monthly price (a yearly price"
                    + " divided by 12) over the subscriptions that are active, past due, in grace or canceled but"
                    + " not yet ended; trials, suspended and expired ones count nothing.")
    @RequiresPermission(Permission.STATS_READ)
    @GetMapping(path = "/api/v1/admin/stats", produces = "application/json")
    Stats stats() {
        Instant now = clock.instant();
        UserCounts counts = users.counts();
        CatalogVersion current = catalog.current();
        Map<String, Long> byPlan = new TreeMap<>();
        Map<String, Long> byState = new TreeMap<>();
        Map<String, BigDecimal> revenue = new TreeMap<>();
        long organizations = 0;
        for (PlanStateCount c : subscriptions.counts()) {
            organizations += c.organizations();
            Plan subscribed = current.plan(c.plan()).orElse(null);
            // The plan that applies: the subscribed one while it entitles, else the default (as entitlement checks do).
            Plan applies = c.state().entitles() && subscribed != null ? subscribed : current.defaultPlan();
            byPlan.merge(applies.key(), c.organizations(), Long::sum);
            byState.merge(c.state().wire(), c.organizations(), Long::sum);
            if (subscribed != null
                    && RECURRING.contains(c.state())
                    && !subscribed.price().free()) {
                revenue.merge(
                        subscribed.price().currency(),
                        subscribed.price().monthly().multiply(BigDecimal.valueOf(c.organizations())),
                        BigDecimal::add);
            }
        }
        List<Revenue> mrr = revenue.entrySet().stream()
                .map(e -> new Revenue(e.getKey(), e.getValue().setScale(2, RoundingMode.HALF_EVEN)))
                .toList();
        LocalDate today = LocalDate.ofInstant(now, ZoneOffset.UTC);
        return new Stats(
                now,
                new Users(counts.total(), counts.active(), counts.suspended(), counts.deleted()),
                new Organizations(organizations, byPlan, byState),
                mrr,
                new Usage(today, usage.eventsOn(today)));
    }
}
