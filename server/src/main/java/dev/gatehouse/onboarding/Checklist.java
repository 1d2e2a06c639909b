package dev.gatehouse.onboarding;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * One user's checklist: the steps of a version that apply to them, in order, each with the user's state.
 *
 * <p><b>Progress</b> is weighted: the weight of the settled steps (done or skipped: a skipped step has been dealt
 * with) over the weight of all the steps that apply, in whole percent rounded down, so 100 means every step is
 * settled. It is computed from the stored states on every read rather than stored, so it cannot go stale: a
 * change of weights or steps (a version migration) shows in the next read. <b>Complete</b> means every required
 * step that applies is done; optional ones may still be open.
 *
 * @param version the checklist version
 * @param snoozedUntil the end of the user's current snooze, null when not snoozed
 */
record Checklist(int version, List<Item> items, @Nullable Instant snoozedUntil) {

    record Item(Step step, StepState state) {}

    Checklist {
        items = List.copyOf(items);
    }

    /** The steps of the version that apply to the audience, each with its state (untouched when absent). */
    static Checklist of(
            int version,
            List<Step> steps,
            Map<String, StepState> states,
            Audience audience,
            @Nullable Instant snoozedUntil) {
        return new Checklist(
                version,
                steps.stream()
                        .filter(s -> s.appliesTo(audience))
                        .map(s -> new Item(s, states.getOrDefault(s.key(), StepState.UNTOUCHED)))
                        .toList(),
                snoozedUntil);
    }

    int progressPercent() {
        long total = 0;
        long settled = 0;
        for (Item item : items) {
            total += item.step().weight();
            if (item.state().status() != StepStatus.TODO) settled += item.step().weight();
        }
        return total == 0 ? 100 : (int) (settled * 100 / total);
    }

    boolean complete() {
        return items.stream()
                .filter(i -> i.step().required())
                .allMatch(i -> i.state().status() == StepStatus.DONE);
    }

    /** The steps guarding the gate that are not done yet, in checklist order; empty when the gate is open. */
    List<Step> missingFor(String gate) {
        return items.stream()
                .filter(i -> i.step().guards(gate) && i.state().status() != StepStatus.DONE)
                .map(Item::step)
                .toList();
    }

    /** The keys of the steps guarding the gate for this user, done or not. */
    List<String> guarding(String gate) {
        return items.stream()
                .map(Item::step)
                .filter(s -> s.guards(gate))
                .map(Step::key)
                .toList();
    }
}
