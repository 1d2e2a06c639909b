package dev.gatehouse.metering;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * What metering needs to know about meters and plans: which meters exist and how they aggregate, and what an
 * organization's plan allows of each. The plan catalog and the organizations' subscriptions answer it.
 */
interface MeterPlans {

    Optional<Meter> meter(String key);

    /** Every meter of the catalog, by key. */
    List<Meter> meters();

    /** The organization's plan and its limits on meters. */
    OrgPlan planOf(UUID orgId);

    /** The plans that allow more of the meter than {@code limit} (or have no limit on it), cheapest first. */
    List<String> plansAllowingMore(String meter, BigDecimal limit);

    /** Where a person upgrades the organization's plan. */
    String upgradeUrl(UUID orgId);

    /**
     * A meter of the catalog.
     *
     * @param property for {@link Aggregation#UNIQUE_COUNT}, the event property whose distinct values are counted
     */
    record Meter(
            String key, Aggregation aggregation, @Nullable String property) {}

    /** An organization's plan and its limits, by meter. */
    record OrgPlan(String plan, Map<String, Limit> limits) {

        Optional<Limit> limit(String meter) {
            return Optional.ofNullable(limits.get(meter));
        }
    }

    /** At most {@code value} of the meter per {@code period}. */
    record Limit(String meter, BigDecimal value, LimitPeriod period) {}
}
