package dev.gatehouse.onboarding;

import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A user's checklist as the API shows it.
 *
 * @param version the checklist version the user is on (every user is on the active one)
 * @param progressPercent the weight of settled (done or skipped) steps over all applicable steps' weight, 0 to 100
 * @param complete whether every applicable required step is done
 * @param snoozedUntil until when the user asked not to be nudged; absent when not snoozed
 * @param steps the steps that apply to the user, in order
 */
record ChecklistView(
        int version,
        int progressPercent,
        boolean complete,
        @Nullable Instant snoozedUntil,
        List<StepView> steps) {

    /**
     * One step and the user's state of it.
     *
     * @param key the step's id in {@code PATCH /api/v1/onboarding/steps/{id}}, stable across versions
     * @param gates the product actions that need this step done first
     * @param rowVersion the version a change must name (optimistic locking)
     * @param updatedAt when the user last changed it; absent while untouched
     * @param completedAt when it became done; absent unless done
     */
    record StepView(
            String key,
            String title,
            @Nullable String description,
            int weight,
            boolean required,
            List<String> gates,
            StepStatus status,
            int rowVersion,
            @Nullable Instant updatedAt,
            @Nullable Instant completedAt) {

        static StepView of(Step step, StepState state) {
            return new StepView(
                    step.key(),
                    step.title(),
                    step.description(),
                    step.weight(),
                    step.required(),
                    step.gates(),
                    state.status(),
                    state.rowVersion(),
                    state.updatedAt(),
                    state.completedAt());
        }
    }

    static ChecklistView of(Checklist checklist) {
        return new ChecklistView(
                checklist.version(),
                checklist.progressPercent(),
                checklist.complete(),
                checklist.snoozedUntil(),
                checklist.items().stream()
                        .map(i -> StepView.of(i.step(), i.state()))
                        .toList());
    }
}
