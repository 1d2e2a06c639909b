package dev.gatehouse.onboarding;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Weighted progress, completion, filters and gates of one user's checklist, on plain objects. */
class ChecklistTest {

    static final Instant NOW = Instant.parse("2026-03-01T10:00:00Z");

    static Step step(String key, int weight, boolean required) {
        return new Step(key, key, null, weight, required, List.of(), List.of(), List.of());
    }

    static StepState state(StepStatus status) {
        return new StepState(status, 2, NOW, status == StepStatus.DONE ? NOW : null);
    }

    @Test
    void progressIsTheWeightOfSettledStepsOverTheWeightOfAllRoundedDown() {
        List<Step> steps = List.of(step("a", 20, true), step("b", 30, false), step("c", 50, true));
        assertThat(Checklist.of(1, steps, Map.of(), Audience.ANYONE, null).progressPercent())
                .isZero();
        assertThat(Checklist.of(1, steps, Map.of("a", state(StepStatus.DONE)), Audience.ANYONE, null)
                        .progressPercent())
                .isEqualTo(20);
        // A skipped step counts as dealt with.
        assertThat(Checklist.of(
                                1,
                                steps,
                                Map.of("a", state(StepStatus.DONE), "b", state(StepStatus.SKIPPED)),
                                Audience.ANYONE,
                                null)
                        .progressPercent())
                .isEqualTo(50);
        // 2 of 3 equal weights is 66, not 67: 100 only when everything is settled.
        List<Step> thirds = List.of(step("x", 1, true), step("y", 1, true), step("z", 1, true));
        assertThat(Checklist.of(
                                1,
                                thirds,
                                Map.of("x", state(StepStatus.DONE), "y", state(StepStatus.DONE)),
                                Audience.ANYONE,
                                null)
                        .progressPercent())
                .isEqualTo(66);
        assertThat(Checklist.of(1, List.of(), Map.of(), Audience.ANYONE, null).progressPercent())
                .as("nothing to do is done")
                .isEqualTo(100);
    }

    @Test
    void completeMeansEveryApplicableRequiredStepIsDone() {
        List<Step> steps = List.of(step("a", 50, true), step("b", 50, false));
        assertThat(Checklist.of(1, steps, Map.of("b", state(StepStatus.DONE)), Audience.ANYONE, null)
                        .complete())
                .isFalse();
        Checklist requiredDone = Checklist.of(1, steps, Map.of("a", state(StepStatus.DONE)), Audience.ANYONE, null);
        assertThat(requiredDone.complete()).isTrue();
        assertThat(requiredDone.progressPercent()).as("optional work left").isEqualTo(50);
    }

    @Test
    void marketAndRoleFiltersLeaveOutStepsForOthers() {
        Step everyone = step("everyone", 10, true);
        Step eu = new Step("vat", "VAT", null, 10, false, List.of("FR", "DE"), List.of(), List.of());
        Step owners = new Step("invite", "Invite", null, 10, false, List.of(), List.of("owner"), List.of());
        List<Step> steps = List.of(everyone, eu, owners);
        assertThat(keys(Checklist.of(1, steps, Map.of(), Audience.ANYONE, null)))
                .containsExactly("everyone");
        assertThat(keys(Checklist.of(1, steps, Map.of(), Audience.of("fr", null), null)))
                .containsExactly("everyone", "vat");
        assertThat(keys(Checklist.of(1, steps, Map.of(), Audience.of("US", "owner"), null)))
                .containsExactly("everyone", "invite");
        assertThat(keys(Checklist.of(1, steps, Map.of(), Audience.of("DE", "owner"), null)))
                .containsExactly("everyone", "vat", "invite");
        // The same stored state weighs differently for different audiences.
        Map<String, StepState> everyoneDone = Map.of("everyone", state(StepStatus.DONE));
        assertThat(Checklist.of(1, steps, everyoneDone, Audience.ANYONE, null).progressPercent())
                .isEqualTo(100);
        assertThat(Checklist.of(1, steps, everyoneDone, Audience.of("FR", "owner"), null)
                        .progressPercent())
                .isEqualTo(33);
    }

    @Test
    void aGateIsMissingEveryApplicableStepThatNamesItAndIsNotDone() {
        Step payments =
                new Step("payments", "Pay", null, 10, true, List.of(), List.of(), List.of("publish", "checkout"));
        Step project = new Step("project", "Project", null, 10, false, List.of(), List.of(), List.of("publish"));
        Step vat = new Step("vat", "VAT", null, 10, false, List.of("FR"), List.of(), List.of("publish"));
        List<Step> steps = List.of(payments, project, vat);
        Checklist fresh = Checklist.of(1, steps, Map.of(), Audience.ANYONE, null);
        assertThat(fresh.missingFor("publish")).containsExactly(payments, project);
        assertThat(fresh.missingFor("checkout")).containsExactly(payments);
        assertThat(fresh.missingFor("unheard_of")).isEmpty();
        // Skipping is not doing.
        Checklist skipped = Checklist.of(
                1,
                steps,
                Map.of("payments", state(StepStatus.DONE), "project", state(StepStatus.SKIPPED)),
                Audience.of("FR", null),
                null);
        assertThat(skipped.missingFor("publish")).containsExactly(project, vat);
        assertThat(skipped.guarding("publish")).containsExactly("payments", "project", "vat");
        assertThat(skipped.missingFor("checkout")).isEmpty();
    }

    @Test
    void aStepNeverChangedIsTodoAtRowVersionOne() {
        Checklist fresh = Checklist.of(1, List.of(step("a", 1, true)), Map.of(), Audience.ANYONE, null);
        assertThat(fresh.items().getFirst().state()).isEqualTo(StepState.UNTOUCHED);
        assertThat(StepState.UNTOUCHED.status()).isEqualTo(StepStatus.TODO);
        assertThat(StepState.UNTOUCHED.rowVersion()).isOne();
    }

    private static List<String> keys(Checklist checklist) {
        return checklist.items().stream().map(i -> i.step().key()).toList();
    }
}
