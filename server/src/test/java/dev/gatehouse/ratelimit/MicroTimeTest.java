package dev.gatehouse.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** The limiter's time: the wall clock in microseconds, whichever way it is read. */
class MicroTimeTest {

    @Test
    void onTheSystemClockItFollowsTheWallClock() {
        MicroTime time = new MicroTime(Clock.systemUTC());
        long previous = 0;
        for (int i = 0; i < 1_000_000; i++) {
            long before = MicroTime.micros(Instant.now());
            long now = time.now();
            long after = MicroTime.micros(Instant.now());
            // Within a few milliseconds of the wall clock read around it (the anchor is the wall clock of up to 1 s
            // ago, read on a loaded machine).
            assertThat(now).isBetween(before - 5_000, after + 5_000);
            assertThat(now).isGreaterThanOrEqualTo(previous - 5_000);
            previous = now;
        }
    }

    @Test
    void anyOtherClockIsReadAsItIs() {
        Clock fixed = Clock.fixed(Instant.parse("2026-01-01T00:00:00.123456789Z"), ZoneOffset.UTC);
        assertThat(new MicroTime(fixed).now()).isEqualTo(1_767_225_600_123_456L);
    }
}
