package dev.gatehouse.catalog;

import dev.gatehouse.platform.Permission;
import dev.gatehouse.platform.RequiresPermission;
import io.swagger.v3.oas.annotations.Operation;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** The public plan list: what a pricing page shows. */
@RestController
class PlanController {

    private final Catalog catalog;

    PlanController(Catalog catalog) {
        this.catalog = catalog;
    }

    /** A price, with the amount as an exact decimal string ("19.99"). */
    record PriceView(String amount, String currency, Price.@Nullable Interval interval) {
        static PriceView of(Price p) {
            return new PriceView(p.amount().toPlainString(), p.currency(), p.interval());
        }
    }

    /**
     * One limit.
     *
     * @param max the most allowed per period; absent when unlimited
     */
    record LimitView(@Nullable Long max, boolean unlimited, Period period) {
        static LimitView of(Limit l) {
            return new LimitView(l.max(), l.unlimited(), l.period());
        }
    }

    /** A rate-limit policy; {@code per_seconds} is the window the limit is stated for. */
    record RateLimitView(RateLimitScope scope, long limit, long perSeconds, long burst) {
        static RateLimitView of(RateLimitPolicy p) {
            return new RateLimitView(p.scope(), p.limit(), p.per().toSeconds(), p.burst());
        }
    }

    record PlanView(
            String key,
            String name,
            String description,
            PriceView price,
            int trialDays,
            List<String> features,
            Map<String, LimitView> limits,
            Map<String, RateLimitView> rateLimits,
            long includedCredits,
            List<String> aiModels) {
        static PlanView of(Plan p) {
            Map<String, LimitView> limits = new LinkedHashMap<>();
            p.limits().forEach((name, limit) -> limits.put(name, LimitView.of(limit)));
            Map<String, RateLimitView> rates = new LinkedHashMap<>();
            p.rateLimits().forEach((name, policy) -> rates.put(name, RateLimitView.of(policy)));
            return new PlanView(
                    p.key(),
                    p.name(),
                    p.description(),
                    PriceView.of(p.price()),
                    p.trialDays(),
                    List.copyOf(p.features()),
                    limits,
                    rates,
                    p.includedCredits(),
                    p.aiModels());
        }
    }

    record MeterView(String key, String name, String unit, Aggregation aggregation) {}

    record PlanList(
            int version,
            String defaultPlan,
            URI upgradeUrl,
            List<Feature> features,
            List<MeterView> meters,
            List<PlanView> plans) {}

    @Operation(
            operationId = "listPlans",
            summary = "The plans, with their features, limits, prices and trials (public)",
            description = "In the catalog's order. A limit absent from a plan is unlimited. Stripe price ids are"
                    + " not shown here.")
    @GetMapping(path = "/api/v1/plans", produces = "application/json")
    @RequiresPermission(Permission.PUBLIC)
    PlanList list() {
        CatalogVersion c = catalog.current();
        return new PlanList(
                c.version(),
                c.defaultPlanKey(),
                c.upgradeUrl(),
                List.copyOf(c.features().values()),
                c.meters().values().stream()
                        .map(m -> new MeterView(m.key(), m.name(), m.unit(), m.aggregation()))
                        .toList(),
                c.plans().values().stream().map(PlanView::of).toList());
    }
}
