package dev.gatehouse.onboarding;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatehouse.platform.ApiException;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.transaction.CannotCreateTransactionException;

/**
 * The gate policy on plain objects: the switch, fail-open and fail-closed when the progress cannot be read (the
 * end-to-end tests cover the decisions the progress makes with the app's default settings).
 */
class GateDecisionsTest {

    static final UUID USER = UUID.randomUUID();
    static final Step PAYMENTS =
            new Step("payments", "Connect payments", null, 10, true, List.of(), List.of(), List.of("checkout"));
    static final Supplier<Checklist> FRESH = () -> Checklist.of(1, List.of(PAYMENTS), Map.of(), Audience.ANYONE, null);
    static final Supplier<Checklist> DATABASE_DOWN = () -> {
        throw new DataAccessResourceFailureException("connection refused");
    };
    /** No kill switch, no bypass flag. */
    static final Supplier<@Nullable GateBypass> NONE = () -> null;

    final SimpleMeterRegistry meters = new SimpleMeterRegistry();

    GateDecisions decisions(boolean enabled, boolean failOpen) {
        return new GateDecisions(
                new OnboardingSettings.Gating(enabled, failOpen, "onboarding.gating", "onboarding.gating.bypass"),
                meters);
    }

    double count(String outcome) {
        return meters.find(GateDecisions.METRIC).tag("outcome", outcome).counters().stream()
                .mapToDouble(c -> c.count())
                .sum();
    }

    @Test
    void switchedOffEveryGateOpensWithoutReadingProgress() {
        GateDecision d = decisions(false, true)
                .decide(
                        "checkout",
                        USER,
                        () -> {
                            throw new AssertionError("switches read while gating is off");
                        },
                        () -> {
                            throw new AssertionError("progress read while gating is off");
                        });
        assertThat(d.allowed()).isTrue();
        assertThat(d.bypassed()).isEqualTo(GateBypass.DISABLED);
        assertThat(count("bypassed_disabled")).isOne();
    }

    @Test
    void failingOpenOpensTheGateWhenTheDatabaseFails() {
        GateDecision d = decisions(true, true).decide("checkout", USER, NONE, DATABASE_DOWN);
        assertThat(d.allowed()).isTrue();
        assertThat(d.bypassed()).isEqualTo(GateBypass.FAIL_OPEN);
        assertThat(decisions(true, true)
                        .decide("checkout", USER, NONE, () -> {
                            throw new CannotCreateTransactionException("pool exhausted");
                        })
                        .bypassed())
                .isEqualTo(GateBypass.FAIL_OPEN);
        assertThat(count("bypassed_fail_open")).isEqualTo(2);
    }

    @Test
    void failingClosedAnswers503WhenTheDatabaseFails() {
        assertThatThrownBy(() -> decisions(true, false).decide("checkout", USER, NONE, DATABASE_DOWN))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.status().value()).isEqualTo(503);
                    assertThat(e.code()).isEqualTo("gating_unavailable");
                });
        assertThat(count("unavailable")).isOne();
    }

    @Test
    void aProblemOfTheRequestIsNeverTurnedIntoAnOpenGate() {
        // An unknown user (404) is the caller's mistake, not an outage: failing open must not hide it.
        assertThatThrownBy(() -> decisions(true, true).decide("checkout", USER, NONE, () -> {
                    throw OnboardingFailures.userNotFound();
                }))
                .isInstanceOfSatisfying(
                        ApiException.class, e -> assertThat(e.status().value()).isEqualTo(404));
    }

    @Test
    void theProgressDecidesOtherwiseAndBlockedChecksAreCountedByMissingStep() {
        assertThatThrownBy(() -> decisions(true, true).decide("checkout", USER, NONE, FRESH))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.status().value()).isEqualTo(409);
                    assertThat(e.code()).isEqualTo("onboarding_step_required");
                    assertThat(e.properties())
                            .containsEntry("missing_step", "payments")
                            .containsEntry("gate", "checkout");
                });
        assertThat(meters.find(GateDecisions.METRIC)
                        .tags("outcome", "blocked", "missing_step", "payments")
                        .counter()
                        .count())
                .isOne();
        GateDecision open = decisions(true, true).decide("publish", USER, NONE, FRESH);
        assertThat(open.bypassed()).isNull();
        assertThat(open.requiredSteps()).isEmpty();
        assertThat(count("allowed")).isOne();
    }

    @Test
    void theKillSwitchAndTheBypassFlagOpenTheGateWithoutReadingProgress() {
        Supplier<Checklist> unread = () -> {
            throw new AssertionError("progress read although a switch opened the gate");
        };
        assertThat(decisions(true, true)
                        .decide("checkout", USER, () -> GateBypass.KILL_SWITCH, unread)
                        .bypassed())
                .isEqualTo(GateBypass.KILL_SWITCH);
        assertThat(decisions(true, true)
                        .decide("checkout", USER, () -> GateBypass.FLAG, unread)
                        .bypassed())
                .isEqualTo(GateBypass.FLAG);
        assertThat(count("bypassed_kill_switch")).isOne();
        assertThat(count("bypassed_flag")).isOne();
    }

    @Test
    void switchesThatCannotBeReadFailOpenOrClosedLikeTheProgress() {
        Supplier<@Nullable GateBypass> flagsDown = () -> {
            throw new DataAccessResourceFailureException("flags could not be loaded");
        };
        assertThat(decisions(true, true)
                        .decide("checkout", USER, flagsDown, FRESH)
                        .bypassed())
                .isEqualTo(GateBypass.FAIL_OPEN);
        assertThatThrownBy(() -> decisions(true, false).decide("checkout", USER, flagsDown, FRESH))
                .isInstanceOfSatisfying(
                        ApiException.class, e -> assertThat(e.code()).isEqualTo("gating_unavailable"));
    }
}
