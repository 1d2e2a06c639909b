package dev.gatehouse.support;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;
import org.springframework.context.annotation.Primary;
import org.springframework.stereotype.Component;

/**
 * The app's clock in tests: real time plus an offset a test can advance, so expiry is tested by
 * moving time rather than by sleeping, or stopped to assert exact durations. Tests that move or stop it call
 * {@link #reset()} afterwards.
 */
@Component
@Primary
public class TestClock extends Clock {

    private final AtomicReference<Duration> offset = new AtomicReference<>(Duration.ZERO);
    private final AtomicReference<Instant> frozen = new AtomicReference<>();

    public void advance(Duration by) {
        offset.updateAndGet(o -> o.plus(by));
    }

    /**
     * Stops the clock where it is (until {@link #reset()}): for tests that assert exact durations while the request
     * path takes real time; {@link #advance} still moves it.
     */
    public void freeze() {
        frozen.set(Instant.now());
    }

    public void reset() {
        offset.set(Duration.ZERO);
        frozen.set(null);
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }

    @Override
    public Instant instant() {
        Instant stopped = frozen.get();
        return (stopped != null ? stopped : Instant.now()).plus(offset.get());
    }
}
