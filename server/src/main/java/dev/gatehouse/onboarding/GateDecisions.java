package dev.gatehouse.onboarding;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import java.util.UUID;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.transaction.TransactionException;

/**
 * How a gate is decided, in this order: switched off by configuration, it opens at once; onboarding's kill switch,
 * or the bypass flag on for this user and gate, opens it; otherwise the user's checklist decides (409 naming the
 * first step of the gate that is not done). When the switches or the checklist cannot be read (the database fails),
 * the gate opens (fail-open, the default: an onboarding checklist should not take the product's checkout down with
 * it) or the answer is 503 (fail-closed), as configured.
 *
 * <p>Each decision is counted in {@code gatehouse.onboarding.gate.checks} by outcome, and a blocked one by the
 * missing step: tags whose values come from the definitions, never from the request, so a caller cannot grow
 * the number of series.
 */
class GateDecisions {

    private static final Logger log = LoggerFactory.getLogger(GateDecisions.class);
    static final String METRIC = "gatehouse.onboarding.gate.checks";

    private final OnboardingSettings.Gating settings;
    private final MeterRegistry meters;

    GateDecisions(OnboardingSettings.Gating settings, MeterRegistry meters) {
        this.settings = settings;
        this.meters = meters;
    }

    /**
     * @param switches what opens the gate before progress is read ({@link GateBypass#KILL_SWITCH} or
     *     {@link GateBypass#FLAG}), or null when nothing does
     * @param read the user's checklist (for the audience the caller gave)
     * @throws dev.gatehouse.platform.ApiException 409 {@code onboarding_step_required}, or 503
     *     {@code gating_unavailable} when failing closed
     */
    GateDecision decide(String gate, UUID user, Supplier<@Nullable GateBypass> switches, Supplier<Checklist> read) {
        if (!settings.enabled()) {
            count("bypassed_disabled", "");
            return GateDecision.bypassed(gate, user, GateBypass.DISABLED);
        }
        Checklist checklist;
        try {
            GateBypass bypass = switches.get();
            if (bypass != null) {
                count("bypassed_" + bypass.wire(), "");
                return GateDecision.bypassed(gate, user, bypass);
            }
            checklist = read.get();
        } catch (DataAccessException | TransactionException e) {
            if (!settings.failOpen()) {
                count("unavailable", "");
                log.error("Gate {} for user {} could not be checked; failing closed", gate, user, e);
                throw OnboardingFailures.gatingUnavailable();
            }
            count("bypassed_fail_open", "");
            log.warn("Gate {} for user {} could not be checked; failing open: {}", gate, user, e.toString());
            return GateDecision.bypassed(gate, user, GateBypass.FAIL_OPEN);
        }
        List<Step> missing = checklist.missingFor(gate);
        if (!missing.isEmpty()) {
            count("blocked", missing.getFirst().key());
            throw OnboardingFailures.stepRequired(gate, user, missing);
        }
        count("allowed", "");
        return GateDecision.open(gate, user, checklist.guarding(gate));
    }

    private void count(String outcome, String missingStep) {
        Counter.builder(METRIC)
                .description("Onboarding gate checks by outcome (and, when blocked, the first missing step)")
                .tag("outcome", outcome)
                .tag("missing_step", missingStep)
                .register(meters)
                .increment();
    }
}
