package dev.gatehouse.onboarding;

import java.util.List;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * An open gate, as {@code POST /api/v1/gates/check} answers it (a closed one is a 409 problem instead).
 *
 * @param allowed always true: the product may go ahead
 * @param requiredSteps the steps guarding the gate for this user, all done; empty when none applies (or when the
 *     gate was bypassed)
 * @param bypassed why the gate was opened without reading the user's progress; absent when the progress decided
 */
record GateDecision(
        boolean allowed,
        String gate,
        UUID user,
        List<String> requiredSteps,
        @Nullable GateBypass bypassed) {

    static GateDecision open(String gate, UUID user, List<String> requiredSteps) {
        return new GateDecision(true, gate, user, List.copyOf(requiredSteps), null);
    }

    static GateDecision bypassed(String gate, UUID user, GateBypass why) {
        return new GateDecision(true, gate, user, List.of(), why);
    }
}
