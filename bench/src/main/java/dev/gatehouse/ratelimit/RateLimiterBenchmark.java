package dev.gatehouse.ratelimit;

import io.github.bucket4j.Bucket;
import io.github.bucket4j.TimeMeter;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The server's limiter against Bucket4j's local bucket, one thread, in the same run. Every call decides one
 * request of one subject with the time read from a clock, as the server does: Gatehouse's in-memory backend
 * ({@code memory}: the per-policy map lookup by subject, {@code Clock.systemUTC()}, GCRA's compare-and-set, the
 * decision returned) against Bucket4j's lock-free bucket ({@code bucket4jLocal}: one bucket held by the caller, no
 * lookup; its default millisecond time, {@code System.currentTimeMillis}), the same bucket reading the time as the
 * server does ({@code bucket4jLocalSameClock}), and the bucket behind a map ({@code bucket4jKeyed}: what keyed
 * limits need). {@code memoryWithoutClock} and {@code clockRead} split {@code memory} into the decision and the
 * time read ({@code MicroTime}), and {@code bucket4jLocalWithoutClock} is Bucket4j's decision alone; {@code clockInstant} is {@code Clock.instant()}, which it replaces. The
 * policy (a million a second, a burst of a billion) admits every request during the run, so both always take
 * their admitting path.
 *
 * <p>{@code redis} is the same decision through Redis (127.0.0.1:6379 unless {@code -Dgatehouse.redis.url=...}):
 * one {@code EVALSHA} per decision over one connection, 32 threads sharing it as the server's request threads do.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 3)
@Measurement(iterations = 5, time = 3)
@Fork(1)
public class RateLimiterBenchmark {

    static final Policy POLICY = Policy.of("bench", 1_000_000, Duration.ofSeconds(1), 1_000_000_000L, FailureMode.OPEN);
    static final String SUBJECT = "user:6f1c0b52-43a5-4c38-9a53-0f6c7d3f1a20";

    @State(Scope.Thread)
    public static class Memory {
        final Clock clock = Clock.systemUTC();
        /** The server's time source for decisions (on the system clock: nanoTime from a wall-clock anchor). */
        final MicroTime time = new MicroTime(clock);

        MemoryBackend backend;

        @Setup(Level.Trial)
        public void setUp() {
            backend = new MemoryBackend();
            for (int i = 0; i < 10_000; i++) backend.decide("user:" + i, POLICY, 1, time.now());
        }
    }

    @State(Scope.Thread)
    public static class Bucket4j {
        Bucket bucket;
        Bucket sameClock;
        Bucket ticking;
        final ConcurrentHashMap<String, Bucket> buckets = new ConcurrentHashMap<>();

        @Setup(Level.Trial)
        public void setUp() {
            bucket = newBucket(null);
            sameClock = newBucket(new MicroTimeMeter(new MicroTime(Clock.systemUTC())));
            ticking = newBucket(new TickingMeter());
            for (int i = 0; i < 10_000; i++) buckets.put("user:" + i, newBucket(null));
            buckets.put(SUBJECT, newBucket(null));
        }

        /** Bucket4j's default time (milliseconds, System.currentTimeMillis), or the given one. */
        static Bucket newBucket(TimeMeter time) {
            var builder = Bucket.builder()
                    .addLimit(limit -> limit.capacity(1_000_000_000L).refillGreedy(1_000_000, Duration.ofSeconds(1)));
            if (time != null) builder.withCustomTimePrecision(time);
            return builder.build();
        }
    }

    /** Bucket4j reading the time the way the server's limiter does ({@code MicroTime}), in nanoseconds. */
    record MicroTimeMeter(MicroTime time) implements TimeMeter {
        @Override
        public long currentTimeNanos() {
            return time.now() * 1_000;
        }

        @Override
        public boolean isWallClockBased() {
            return true;
        }
    }

    /** Bucket4j's time advancing one microsecond per read, as {@link Ticks} does for ours: its decision alone. */
    static final class TickingMeter implements TimeMeter {
        private long nanos = 1_767_225_600_000_000_000L;

        @Override
        public long currentTimeNanos() {
            return nanos += 1_000;
        }

        @Override
        public boolean isWallClockBased() {
            return true;
        }
    }

    /** A time that advances one microsecond per call, for the decision's own cost without a clock read. */
    @State(Scope.Thread)
    public static class Ticks {
        long now = 1_767_225_600_000_000L;
    }

    @State(Scope.Benchmark)
    public static class Redis {
        final Clock clock = Clock.systemUTC();
        RedisBackend backend;

        @Setup(Level.Trial)
        public void setUp() {
            String url = System.getProperty("gatehouse.redis.url", "redis://127.0.0.1:6379");
            backend = new RedisBackend(url, "gh:rl:bench:", Duration.ofSeconds(2), Duration.ofMillis(500));
            if (!backend.reachable()) throw new IllegalStateException("Redis at " + url + " does not answer");
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            backend.clear(SUBJECT, java.util.List.of(POLICY));
            backend.close();
        }
    }

    static long now(Clock clock) {
        return MicroTime.micros(clock.instant());
    }

    @Benchmark
    @Threads(1)
    public RateLimitDecision memory(Memory m) {
        return m.backend.decide(SUBJECT, POLICY, 1, m.time.now());
    }

    /** The decision alone: the time is a counter, not a clock read. */
    @Benchmark
    @Threads(1)
    public RateLimitDecision memoryWithoutClock(Memory m, Ticks t) {
        return m.backend.decide(SUBJECT, POLICY, 1, t.now++);
    }

    /** What one read of the limiter's time costs on this machine (part of every decision above). */
    @Benchmark
    @Threads(1)
    public long clockRead(Memory m) {
        return m.time.now();
    }

    /** What {@code Clock.instant()} costs, which the limiter's time avoids on the system clock. */
    @Benchmark
    @Threads(1)
    public long clockInstant(Memory m) {
        return now(m.clock);
    }

    @Benchmark
    @Threads(1)
    public long bucket4jLocalSameClock(Bucket4j b) {
        return b.sameClock.tryConsumeAndReturnRemaining(1).getRemainingTokens();
    }

    @Benchmark
    @Threads(1)
    public long bucket4jLocal(Bucket4j b) {
        return b.bucket.tryConsumeAndReturnRemaining(1).getRemainingTokens();
    }

    /** Bucket4j's decision alone (its time a counter), against {@code memoryWithoutClock}. */
    @Benchmark
    @Threads(1)
    public long bucket4jLocalWithoutClock(Bucket4j b) {
        return b.ticking.tryConsumeAndReturnRemaining(1).getRemainingTokens();
    }

    @Benchmark
    @Threads(1)
    public long bucket4jKeyed(Bucket4j b) {
        return b.buckets.get(SUBJECT).tryConsumeAndReturnRemaining(1).getRemainingTokens();
    }

    @Benchmark
    @Threads(32)
    public RateLimitDecision redis(Redis r) {
        return r.backend.decide(SUBJECT, POLICY, 1, now(r.clock));
    }
}
