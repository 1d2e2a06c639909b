package dev.gatehouse.organization;

import java.util.Map;
import java.util.OptionalInt;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Component;

/**
 * The test context's {@link SeatPolicy}: unlimited unless a test sets a limit for an organization. Its
 * presence makes the default unlimited bean back off, as a plans module's policy will.
 */
@Component
class TestSeats implements SeatPolicy {

    private final Map<UUID, Integer> limits = new ConcurrentHashMap<>();

    void limit(UUID orgId, int seats) {
        limits.put(orgId, seats);
    }

    void clear() {
        limits.clear();
    }

    @Override
    public OptionalInt seatLimit(UUID orgId) {
        Integer limit = limits.get(orgId);
        return limit == null ? OptionalInt.empty() : OptionalInt.of(limit);
    }
}
