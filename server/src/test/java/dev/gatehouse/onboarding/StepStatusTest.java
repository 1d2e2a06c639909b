package dev.gatehouse.onboarding;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatehouse.platform.ApiException;
import org.junit.jupiter.api.Test;

/** The step state machine: todo → done | skipped, skipped → done; done is final; required steps are never skipped. */
class StepStatusTest {

    @Test
    void theAllowedMoves() {
        assertThat(StepStatus.TODO.moveTo(StepStatus.DONE, true)).isEqualTo(StepStatus.DONE);
        assertThat(StepStatus.TODO.moveTo(StepStatus.SKIPPED, false)).isEqualTo(StepStatus.SKIPPED);
        assertThat(StepStatus.SKIPPED.moveTo(StepStatus.DONE, false)).isEqualTo(StepStatus.DONE);
    }

    @Test
    void everyOtherMoveIsRefusedNamingWhatIsAllowed() {
        for (boolean required : new boolean[] {true, false}) {
            for (StepStatus from : StepStatus.values()) {
                for (StepStatus to : StepStatus.values()) {
                    boolean allowed = (from == StepStatus.TODO && to == StepStatus.DONE)
                            || (from == StepStatus.TODO && to == StepStatus.SKIPPED && !required)
                            || (from == StepStatus.SKIPPED && to == StepStatus.DONE);
                    if (allowed) {
                        assertThat(from.moveTo(to, required)).isEqualTo(to);
                        continue;
                    }
                    assertThatThrownBy(() -> from.moveTo(to, required))
                            .as("%s → %s (required %s)", from, to, required)
                            .isInstanceOfSatisfying(ApiException.class, e -> {
                                assertThat(e.status().value()).isEqualTo(422);
                                assertThat(e.code())
                                        .isEqualTo(
                                                from == StepStatus.TODO && to == StepStatus.SKIPPED && required
                                                        ? "required_step"
                                                        : "invalid_transition");
                            });
                }
            }
        }
        assertThatThrownBy(() -> StepStatus.DONE.moveTo(StepStatus.TODO, false)).hasMessageContaining("done is final");
    }

    @Test
    void wireNamesRoundTrip() {
        for (StepStatus s : StepStatus.values())
            assertThat(StepStatus.of(s.wire())).isEqualTo(s);
        assertThatThrownBy(() -> StepStatus.of("finished")).hasMessage("Must be one of todo, done, skipped.");
    }
}
