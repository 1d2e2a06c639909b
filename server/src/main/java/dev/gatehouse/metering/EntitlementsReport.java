package dev.gatehouse.metering;

import dev.gatehouse.catalog.Aggregation;
import dev.gatehouse.catalog.CatalogVersion;
import dev.gatehouse.catalog.Limit;
import dev.gatehouse.catalog.Meter;
import dev.gatehouse.catalog.Period;
import dev.gatehouse.catalog.Plan;
import dev.gatehouse.metering.UsageTotals.Row;
import dev.gatehouse.organization.OrganizationDirectory;
import io.swagger.v3.oas.annotations.media.Schema;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Service;

/**
 * Everything an organization's plan entitles it to, with what it uses of each limit now: every feature of the
 * catalog (included or not), every meter (limited by the plan or not) with its use in the limit's current period,
 * and the built-in seat and session limits. Use comes from the same totals quota consumption decides on.
 */
@Service
class EntitlementsReport {

    private final UsageTotals totals;
    private final UsageUniques uniques;
    private final OrganizationDirectory organizations;

    EntitlementsReport(UsageTotals totals, UsageUniques uniques, OrganizationDirectory organizations) {
        this.totals = totals;
        this.uniques = uniques;
        this.organizations = organizations;
    }

    /** @param allowed whether the organization's plan includes it */
    @Schema(name = "FeatureEntitlement")
    record FeatureView(String key, String name, boolean allowed) {}

    /**
     * One limit and its use.
     *
     * @param name a meter's key, {@code seats} or {@code sessions}
     * @param scope {@code org}, or {@code user} for a limit each member has on their own (sessions)
     * @param period the window use is counted in; {@code none} for a standing limit
     * @param limit the most allowed per period; absent when the plan sets no limit
     * @param used the use in the current period; absent for a per-user limit
     * @param remaining what is left (never below zero); absent without a limit or use
     * @param resetsAt when the current period ends; absent for a standing limit
     */
    @Schema(name = "LimitEntitlement")
    record LimitView(
            String name,
            String scope,
            Period period,
            @Nullable Long limit,
            @Nullable BigDecimal used,
            @Nullable BigDecimal remaining,
            @Nullable Instant resetsAt) {}

    @Schema(name = "OrgEntitlements")
    record View(UUID org, String plan, List<FeatureView> features, List<LimitView> limits) {}

    View of(UUID org, Plan plan, CatalogVersion catalog, Instant now) {
        List<FeatureView> features = catalog.features().values().stream()
                .map(f -> new FeatureView(f.key(), f.name(), plan.hasFeature(f.key())))
                .toList();
        List<LimitView> limits = new ArrayList<>();
        for (Meter meter : catalog.meters().values()) {
            Limit limit = plan.limit(meter.key()).orElse(null);
            Period period = limit != null ? limit.period() : unlimitedPeriod(meter, catalog);
            BigDecimal used = Amounts.plain(used(org, meter, period, catalog, now));
            limits.add(view(meter.key(), "org", period, limit, used, now));
        }
        limits.add(view(
                Limit.SEATS,
                "org",
                Period.NONE,
                plan.limit(Limit.SEATS).orElse(null),
                BigDecimal.valueOf(organizations.seatsTaken(org)),
                now));
        Limit sessions = plan.limit(Limit.SESSIONS).orElse(null);
        limits.add(view(Limit.SESSIONS, "user", Period.NONE, sessions, null, now));
        return new View(org, plan.key(), features, limits);
    }

    private static LimitView view(
            String name, String scope, Period period, @Nullable Limit limit, @Nullable BigDecimal used, Instant now) {
        Long max = limit == null ? null : limit.max();
        BigDecimal remaining = max == null || used == null
                ? null
                : BigDecimal.valueOf(max).subtract(used).max(BigDecimal.ZERO);
        return new LimitView(name, scope, period, max, used, remaining, Periods.resetsAt(period, now));
    }

    /**
     * The period a meter the plan does not limit is shown over: the one other plans limit it over, else the month
     * for what adds up over time and none (right now) for a gauge.
     */
    private static Period unlimitedPeriod(Meter meter, CatalogVersion catalog) {
        return catalog.plans().values().stream()
                .flatMap(p -> p.limit(meter.key()).stream())
                .map(Limit::period)
                .findFirst()
                .orElse(meter.aggregation() == Aggregation.LATEST ? Period.NONE : Period.MONTH);
    }

    /** The meter's use in the period holding {@code now}, by its aggregation; zero when there is none. */
    private BigDecimal used(UUID org, Meter meter, Period period, CatalogVersion catalog, Instant now) {
        if (meter.aggregation() == Aggregation.LATEST) {
            return totals.latestValue(org, meter.key()).orElse(BigDecimal.ZERO);
        }
        // A standing limit on what adds up (or a gauge's maximum) is shown for the month; hour totals exist only
        // for meters some plan limits per hour.
        Period counted = period == Period.NONE
                        || period == Period.HOUR
                                && !Periods.kept(meter.key(), catalog).contains(Period.HOUR)
                ? Period.MONTH
                : period;
        Instant start = Periods.start(counted, now);
        if (meter.aggregation() == Aggregation.UNIQUE_COUNT) {
            // Distinct values are kept per day: an hour's are counted over its day.
            LocalDate today = LocalDate.ofInstant(now, ZoneOffset.UTC);
            return BigDecimal.valueOf(
                    uniques.distinct(org, meter.key(), LocalDate.ofInstant(start, ZoneOffset.UTC), today));
        }
        return totals.find(new Row(org, meter.key(), counted, start))
                .map(t -> t.figure(meter.aggregation()))
                .orElse(BigDecimal.ZERO);
    }
}
