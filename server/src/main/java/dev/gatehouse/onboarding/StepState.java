package dev.gatehouse.onboarding;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * A user's state of one step: the stored row, or {@link #UNTOUCHED} for a step the user never changed (no row
 * is written until the first change).
 *
 * @param rowVersion the optimistic-locking version a change must name; it only ever grows
 * @param updatedAt when the state last changed, null while untouched
 * @param completedAt when the step became done, null unless it is
 */
record StepState(
        StepStatus status,
        int rowVersion,
        @Nullable Instant updatedAt,
        @Nullable Instant completedAt) {

    static final StepState UNTOUCHED = new StepState(StepStatus.TODO, 1, null, null);
}
