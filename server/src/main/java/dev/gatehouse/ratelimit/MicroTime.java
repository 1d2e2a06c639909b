package dev.gatehouse.ratelimit;

import java.time.Clock;
import java.time.Instant;

/**
 * The limiter's time in microseconds since the epoch, read on every decision. With the system clock it is
 * {@code System.nanoTime()} (an intrinsic, read in user space) from a wall-clock anchor taken again every second,
 * instead of {@code Clock.instant()}, whose native call cost more than the whole decision (JMH,
 * {@code RateLimiterBenchmark.clockRead}). The wall clock steps at most a second out of the limiter's view;
 * NTP's slewing moves both clocks alike. Any other clock (a test's) is read directly.
 */
final class MicroTime {

    private static final long REANCHOR_NANOS = 1_000_000_000L;

    private final Clock clock;
    private final boolean system;
    private volatile Anchor anchor;

    private record Anchor(long epochMicros, long nanos) {}

    MicroTime(Clock clock) {
        this.clock = clock;
        this.system = clock.equals(Clock.systemUTC());
        this.anchor = anchor();
    }

    /**
     * Both clocks read as close together as a few tries get them (a thread preempted between the two reads would
     * put the whole pause into the anchor): the wall clock against the middle of the nanoTime reads around it.
     */
    private Anchor anchor() {
        Anchor best = null;
        long bestGap = Long.MAX_VALUE;
        for (int i = 0; i < 5 && bestGap > 20_000; i++) {
            long before = System.nanoTime();
            long wall = micros(clock.instant());
            long after = System.nanoTime();
            if (after - before < bestGap) {
                bestGap = after - before;
                best = new Anchor(wall, before + (after - before) / 2);
            }
        }
        return best;
    }

    static long micros(Instant now) {
        return now.getEpochSecond() * 1_000_000 + now.getNano() / 1_000;
    }

    long now() {
        if (!system) return micros(clock.instant());
        long nanos = System.nanoTime();
        Anchor a = anchor;
        if (nanos - a.nanos() >= REANCHOR_NANOS) {
            a = anchor();
            anchor = a;
            nanos = a.nanos();
        }
        return a.epochMicros() + (nanos - a.nanos()) / 1_000;
    }
}
