package dev.gatehouse.metering;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.stereotype.Component;

/**
 * The default catalog's meters and limits, with every organization on {@code free}, until the catalog and
 * subscription modules answer {@link MeterPlans}.
 */
@Component
class InterimMeterPlans implements MeterPlans {

    private static final Map<String, Meter> METERS = Map.of(
            "api_calls", new Meter("api_calls", Aggregation.COUNT, null),
            "jobs", new Meter("jobs", Aggregation.COUNT, null),
            "tokens", new Meter("tokens", Aggregation.SUM, null),
            "storage_mb", new Meter("storage_mb", Aggregation.LATEST, null),
            "peak_concurrency", new Meter("peak_concurrency", Aggregation.MAX, null),
            "active_users", new Meter("active_users", Aggregation.UNIQUE_COUNT, "user_id"));

    private static final OrgPlan FREE = new OrgPlan(
            "free",
            Map.of(
                    "api_calls", new Limit("api_calls", BigDecimal.valueOf(1_000), LimitPeriod.DAY),
                    "jobs", new Limit("jobs", BigDecimal.valueOf(100), LimitPeriod.MONTH),
                    "storage_mb", new Limit("storage_mb", BigDecimal.valueOf(500), LimitPeriod.NONE)));

    @Override
    public Optional<Meter> meter(String key) {
        return Optional.ofNullable(METERS.get(key));
    }

    @Override
    public List<Meter> meters() {
        return METERS.values().stream()
                .sorted(java.util.Comparator.comparing(Meter::key))
                .toList();
    }

    @Override
    public OrgPlan planOf(UUID orgId) {
        return FREE;
    }

    @Override
    public List<String> plansAllowingMore(String meter, BigDecimal limit) {
        return List.of("pro", "enterprise");
    }

    @Override
    public String upgradeUrl(UUID orgId) {
        return "http://localhost:8080/billing/upgrade?org=" + orgId;
    }
}
