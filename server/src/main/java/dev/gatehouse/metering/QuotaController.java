package dev.gatehouse.metering;

import dev.gatehouse.catalog.Catalog;
import dev.gatehouse.catalog.CatalogVersion;
import dev.gatehouse.catalog.Limit;
import dev.gatehouse.catalog.Meter;
import dev.gatehouse.catalog.Period;
import dev.gatehouse.catalog.Plan;
import dev.gatehouse.platform.ApiException;
import dev.gatehouse.platform.CallerAuthentication;
import dev.gatehouse.platform.IgnoresIdempotencyKey;
import dev.gatehouse.platform.Permission;
import dev.gatehouse.platform.Problems;
import dev.gatehouse.platform.RequiresPermission;
import dev.gatehouse.subscription.SubscriptionDirectory;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.enums.ParameterIn;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/** Quota consumption for the product's backend: check and count in one step, or 402 with what to upgrade to. */
@RestController
class QuotaController {

    static final String IDEMPOTENCY_KEY = "Idempotency-Key";
    static final String REPLAYED = "Idempotent-Replayed";
    static final int MAX_KEY_LENGTH = 255;
    static final long MAX_AMOUNT = 1_000_000_000_000_000L;

    private final Quotas quotas;
    private final Catalog catalog;
    private final SubscriptionDirectory subscriptions;

    QuotaController(Quotas quotas, Catalog catalog, SubscriptionDirectory subscriptions) {
        this.quotas = quotas;
        this.catalog = catalog;
        this.subscriptions = subscriptions;
    }

    /**
     * A consumption.
     *
     * @param amount how much to consume; 1 when absent
     */
    @Schema(name = "QuotaConsumeRequest")
    record Consume(
            @NotNull UUID org,
            @NotNull @Size(min = 1, max = 64) String meter,
            @Nullable @Min(1) @Max(MAX_AMOUNT) Long amount) {}

    /**
     * The decision.
     *
     * @param used the period's usage after the decision
     * @param limit the plan's limit for the period; absent when the plan sets none
     * @param remaining what is left of the limit; absent without a limit
     * @param resetsAt when the period's count starts again; absent without a limit
     */
    @Schema(name = "QuotaDecision")
    record View(
            boolean allowed,
            String meter,
            BigDecimal used,
            @Nullable BigDecimal limit,
            @Nullable BigDecimal remaining,
            @Nullable Instant resetsAt) {

        static View of(Decision d) {
            return new View(d.allowed(), d.meter(), d.used(), d.limit(), d.remaining(), d.resetsAt());
        }
    }

    @Operation(
            operationId = "consumeQuota",
            summary = "Consume an organization's quota of a meter: check and count in one step (service key)",
            description = "Admits the amount only if the period's usage plus the amount stays within the plan's"
                    + " limit, and counts it in the same step: on any number of nodes, the admitted amounts never"
                    + " add up to more than the limit. 200 {allowed: true, used, limit, remaining, resets_at};"
                    + " 402 quota_exceeded with the same members, the plan, upgrade_plans and upgrade_url when it does not"
                    + " fit (nothing is counted). Only count and sum meters can be consumed (422"
                    + " meter_not_consumable). Idempotency-Key: the answer is stored with the consumption and"
                    + " replayed (Idempotent-Replayed: true) for 24 hours; another request under the same key is"
                    + " refused with 422 idempotency_key_reused.",
            parameters =
                    @Parameter(
                            name = IDEMPOTENCY_KEY,
                            in = ParameterIn.HEADER,
                            description = "Makes a retry safe: the first answer is replayed, never counted twice",
                            schema = @Schema(type = "string", minLength = 1, maxLength = MAX_KEY_LENGTH)))
    @RequiresPermission(Permission.QUOTAS_CONSUME)
    @IgnoresIdempotencyKey(IgnoresIdempotencyKey.Reason.KEPT_WITH_THE_EFFECT)
    @PostMapping(path = "/api/v1/quotas/consume", consumes = "application/json", produces = "application/json")
    ResponseEntity<View> consume(@Valid @RequestBody Consume body, HttpServletRequest http) {
        String key = idempotencyKey(http);
        CatalogVersion current = catalog.current();
        Meter meter = current.meter(body.meter()).orElseThrow(() -> MeteringFailures.unknownMeter(body.meter()));
        if (!Periods.additive(meter.aggregation())) {
            throw MeteringFailures.notConsumable(meter.key(), meter.aggregation());
        }
        Plan plan = subscriptions.entitledPlan(body.org()).orElseThrow(MeteringFailures::orgNotFound);
        Limit limit = plan.limit(meter.key()).filter(l -> !l.unlimited()).orElse(null);
        if (limit != null && limit.period() == Period.NONE) {
            throw MeteringFailures.notConsumable(meter.key(), meter.aggregation());
        }
        BigDecimal amount = BigDecimal.valueOf(body.amount() == null ? 1 : body.amount());
        Quotas.Outcome outcome = quotas.consume(new Quotas.Request(
                CallerAuthentication.current().userId(),
                body.org(),
                meter,
                amount,
                limit,
                Periods.kept(meter.key(), current),
                key));
        return switch (outcome) {
            case Quotas.Outcome.Failed failed -> throw failed.cause();
            case Quotas.Outcome.KeyReused reused -> throw MeteringFailures.idempotencyKeyReused();
            case Quotas.Outcome.Decided decided -> {
                Decision d = decided.decision();
                if (!d.allowed()) throw exceeded(current, plan, d, decided.replayed());
                var response = ResponseEntity.ok();
                if (decided.replayed()) response.header(REPLAYED, "true");
                yield response.body(View.of(d));
            }
        };
    }

    /** The Idempotency-Key header: absent, or exactly one of 1 to 255 characters that are not all blank. */
    private static @Nullable String idempotencyKey(HttpServletRequest http) {
        List<String> values = Collections.list(http.getHeaders(IDEMPOTENCY_KEY));
        if (values.isEmpty()) return null;
        String key = values.getFirst();
        if (values.size() > 1 || key.isBlank() || key.length() > MAX_KEY_LENGTH) {
            throw MeteringFailures.invalidIdempotencyKey();
        }
        return key;
    }

    /** 402 quota_exceeded: the decision's members, the plan, and the plans that allow more. */
    private static ApiException exceeded(CatalogVersion catalog, Plan plan, Decision d, boolean replayed) {
        Map<String, @Nullable Object> members = new LinkedHashMap<>();
        members.put("allowed", false);
        members.put("meter", d.meter());
        members.put("used", d.used());
        members.put("limit", d.limit());
        members.put("remaining", d.remaining());
        members.put("resets_at", d.resetsAt() == null ? null : d.resetsAt().toString());
        // The upgrade members are the entitlement check's (feature_not_in_plan): one shape for every 402.
        members.put("plan", plan.key());
        members.put("upgrade_plans", plansAllowingMore(catalog, plan, d.meter()));
        members.put("upgrade_url", catalog.upgradeUrl().toString());
        ApiException problem = Problems.of(
                HttpStatus.PAYMENT_REQUIRED,
                "quota_exceeded",
                "Quota exceeded",
                "The " + plan.name() + " plan allows " + d.limit() + " " + d.meter() + " per period; " + d.used()
                        + " are used.",
                members);
        return replayed ? new Replayed(problem) : problem;
    }

    /** The other plans whose limit on the meter is higher (or absent), cheapest first. */
    static List<String> plansAllowingMore(CatalogVersion catalog, Plan current, String meter) {
        Long max = current.max(meter).orElse(null);
        return catalog.plans().values().stream()
                .filter(p -> !p.key().equals(current.key()))
                .filter(p -> max != null && p.max(meter).map(m -> m > max).orElse(true))
                .sorted(Comparator.comparing(p -> p.price().monthly()))
                .map(Plan::key)
                .toList();
    }

    /** A replayed refusal: the same problem, marked like a replayed success. */
    private static final class Replayed extends ApiException {
        Replayed(ApiException first) {
            super(first.status(), first.code(), first.title(), first.detail(), first.properties());
        }

        @Override
        public Map<String, String> headers() {
            return Map.of(REPLAYED, "true");
        }
    }
}
