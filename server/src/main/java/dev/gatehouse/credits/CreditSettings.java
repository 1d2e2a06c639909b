package dev.gatehouse.credits;

import java.math.BigDecimal;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Credit settings ({@code gatehouse.credits.*}).
 *
 * @param tokensPerCredit how many tokens of the reference model one PT buys (1,000 by default)
 * @param referenceModel the model whose tokens define the unit (multipliers 1 and 1)
 * @param models per-model multipliers: a model's input (output) tokens cost that many reference tokens each
 * @param defaultHold a reservation's time to live when the request names none
 * @param maxHold the longest a reservation may hold credits
 * @param topUpUrl where a customer buys more credits, sent with every 402 {@code insufficient_credits}
 * @param plans each plan's credit rules (overdraft, rollover, low-balance warnings), by plan key; a plan not
 *     listed has none
 * @param planGrantPriority the priority of the plan's monthly grant blocks (lower is spent first)
 * @param idempotencyRetention how long a credit call's answer is kept for its Idempotency-Key
 * @param callLanes how many credit calls (reserve, settle, release, debit) each node runs in parallel: calls
 *     waiting in one lane are decided together in one transaction, which is what keeps one busy organization from
 *     being limited by PostgreSQL's commit rate on its account row; 0 (the default) means one per CPU, and at least
 *     two, so that one busy organization never holds up all the others. Fewer lanes make larger batches, and a
 *     batch costs about the same dozen statements whatever it holds: on 2 CPUs, 100 busy organizations made 1,000
 *     reserve + settle pairs/s with 2 lanes against 715 with 8 (bench/README.md)
 * @param callBatch how many waiting credit calls one transaction decides at most
 */
@ConfigurationProperties("gatehouse.credits")
record CreditSettings(
        @DefaultValue("1000") long tokensPerCredit,
        @DefaultValue("gpt-4o-mini") String referenceModel,
        @DefaultValue Map<String, ModelRate> models,
        @DefaultValue("1h") Duration defaultHold,
        @DefaultValue("24h") Duration maxHold,
        @Nullable URI topUpUrl,
        @DefaultValue Map<String, PlanRules> plans,
        @DefaultValue("100") int planGrantPriority,
        @DefaultValue("24h") Duration idempotencyRetention,
        @DefaultValue("0") int callLanes,
        @DefaultValue("64") int callBatch) {

    /**
     * What a model's tokens cost in reference tokens: exact decimals (e.g. 0.25), never floating point.
     *
     * @param encoding the tokenizer (jtokkit encoding name) that counts an estimate's text for the model
     */
    record ModelRate(
            BigDecimal input,
            BigDecimal output,
            @DefaultValue("o200k_base") String encoding) {
        ModelRate {
            if (input.signum() < 0 || output.signum() < 0) {
                throw new IllegalArgumentException("gatehouse.credits.models multipliers must not be negative");
            }
        }
    }

    /**
     * A plan's credit rules, in whole PT.
     *
     * @param overdraft how far below zero the available balance may go (0: never)
     * @param rollover how much of an expiring monthly grant carries into the next period (0: none)
     * @param warnings low-balance thresholds: crossing below one warns once per period
     */
    record PlanRules(
            @DefaultValue("0") long overdraft,
            @DefaultValue("0") long rollover,
            @DefaultValue List<Long> warnings) {
        PlanRules {
            if (overdraft < 0 || rollover < 0 || warnings.stream().anyMatch(w -> w < 0)) {
                throw new IllegalArgumentException("gatehouse.credits.plans amounts must not be negative");
            }
            warnings = List.copyOf(warnings);
        }
    }

    static final PlanRules NO_RULES = new PlanRules(0, 0, List.of());

    CreditSettings {
        models = Map.copyOf(models);
        plans = Map.copyOf(plans);
        if (callLanes < 0) throw new IllegalArgumentException("gatehouse.credits.call-lanes must be >= 0");
        if (callLanes == 0) callLanes = Math.max(2, Runtime.getRuntime().availableProcessors());
        if (callBatch < 1) throw new IllegalArgumentException("gatehouse.credits.call-batch must be >= 1");
        if (tokensPerCredit < 1) throw new IllegalArgumentException("gatehouse.credits.tokens-per-credit must be >= 1");
        if (defaultHold.isNegative() || defaultHold.isZero() || maxHold.compareTo(defaultHold) < 0) {
            throw new IllegalArgumentException("gatehouse.credits.default-hold must be positive and <= max-hold");
        }
        if (planGrantPriority < 0 || planGrantPriority > 1000) {
            throw new IllegalArgumentException("gatehouse.credits.plan-grant-priority must be between 0 and 1000");
        }
    }

    PlanRules rules(String plan) {
        return plans.getOrDefault(plan, NO_RULES);
    }
}
