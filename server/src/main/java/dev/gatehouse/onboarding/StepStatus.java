package dev.gatehouse.onboarding;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * A user's state of one step: {@code todo}, then {@code done} or {@code skipped}. The
 * {@code onboarding_progress.status} check constraint backs the list ({@code OnboardingColumnsTest} keeps the two
 * equal). {@link #moveTo} is the one place that says which moves a user may make.
 *
 * <p>A named schema in the OpenAPI document, like {@code PlatformRole}, so generated clients share one type.
 */
@Schema(enumAsRef = true)
enum StepStatus {
    TODO,
    DONE,
    SKIPPED;

    /** The name on the wire and in the database. */
    @JsonValue
    String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * The user's move from this state to {@code target}: {@code todo → done}, {@code todo → skipped}, and
     * {@code skipped → done} (doing a step one skipped earlier). {@code done} is final, and a required step is
     * never skipped.
     *
     * @throws dev.gatehouse.platform.ApiException 422 {@code invalid_transition} for any other move, naming the
     *     allowed ones; 422 {@code required_step} for skipping a required step
     */
    StepStatus moveTo(StepStatus target, boolean required) {
        boolean allowed = switch (this) {
            case TODO -> target == DONE || target == SKIPPED;
            case SKIPPED -> target == DONE;
            case DONE -> false;
        };
        if (!allowed) throw OnboardingFailures.invalidTransition(this, target);
        if (target == SKIPPED && required) throw OnboardingFailures.requiredStep();
        return target;
    }

    /** The states a user may move a step to from this one (for the problem's detail). */
    String allowedMoves() {
        return switch (this) {
            case TODO -> "done or skipped";
            case SKIPPED -> "done";
            case DONE -> "none: done is final";
        };
    }

    /**
     * The status with this wire name.
     *
     * @throws IllegalArgumentException naming the accepted values, which the API shows as the field's error
     */
    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    static StepStatus of(String wire) {
        for (StepStatus status : values()) {
            if (status.wire().equals(wire)) return status;
        }
        throw new IllegalArgumentException("Must be one of "
                + Arrays.stream(values()).map(StepStatus::wire).collect(Collectors.joining(", ")) + ".");
    }
}
