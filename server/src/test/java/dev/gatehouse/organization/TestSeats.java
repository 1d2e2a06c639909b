package dev.gatehouse.organization;

import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Primary;
import org.springframework.stereotype.Component;

/**
 * The test context's {@link SeatPolicy}, in front of the real one (the subscription module's, from the plan):
 * unlimited unless a test sets a limit for an organization or asks for its plan's. The organization tests predate
 * plans and fill teams beyond the free plan's three seats; {@link #fromPlan} puts an organization back under the
 * real policy, so the wiring to plans is tested too ({@code SeatLimitTest}).
 */
@Primary
@Component
class TestSeats implements SeatPolicy {

    private final Map<UUID, Integer> limits = new ConcurrentHashMap<>();
    private final Set<UUID> planned = ConcurrentHashMap.newKeySet();
    private final ObjectProvider<SeatPolicy> policies;

    TestSeats(ObjectProvider<SeatPolicy> policies) {
        this.policies = policies;
    }

    void limit(UUID orgId, int seats) {
        limits.put(orgId, seats);
    }

    /** The organization's seats come from the real policy (its plan) from now on. */
    void fromPlan(UUID orgId) {
        planned.add(orgId);
    }

    void clear() {
        limits.clear();
        planned.clear();
    }

    @Override
    public OptionalInt seatLimit(UUID orgId) {
        if (planned.contains(orgId)) {
            return policies.orderedStream()
                    .filter(p -> p != this)
                    .findFirst()
                    .orElseThrow()
                    .seatLimit(orgId);
        }
        Integer limit = limits.get(orgId);
        return limit == null ? OptionalInt.empty() : OptionalInt.of(limit);
    }
}
