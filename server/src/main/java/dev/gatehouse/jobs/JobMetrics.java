package dev.gatehouse.jobs;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.stereotype.Component;

/**
 * Job metrics: gauges of how many jobs wait, run, retry and lie dead, and counters of outcomes by type.
 * The gauges read one grouped count, cached briefly so frequent scrapes and health checks stay cheap.
 */
@Component
class JobMetrics {

    private static final Logger log = LoggerFactory.getLogger(JobMetrics.class);
    private static final long CACHE_NANOS = Duration.ofSeconds(5).toNanos();

    private final MeterRegistry registry;
    private final JobRuns runs;

    private final Object lock = new Object();
    private @Nullable Map<JobState, Long> counts;
    private long countedAt;

    JobMetrics(MeterRegistry registry, JobRuns runs) {
        this.registry = registry;
        this.runs = runs;
        for (JobState state : new JobState[] {JobState.QUEUED, JobState.RUNNING, JobState.FAILED, JobState.DEAD}) {
            Gauge.builder("gatehouse.jobs.current", this, m -> m.count(state))
                    .description("Jobs currently in this state")
                    .tag("state", state.wire())
                    .register(registry);
        }
        Gauge.builder("gatehouse.jobs.queue.depth", this, JobMetrics::queueDepth)
                .description("Jobs waiting to run: queued, or failed with a retry scheduled")
                .register(registry);
    }

    double queueDepth() {
        return count(JobState.QUEUED) + count(JobState.FAILED);
    }

    double count(JobState state) {
        Map<JobState, Long> snapshot = snapshot();
        return snapshot == null ? Double.NaN : snapshot.getOrDefault(state, 0L);
    }

    void succeeded(String type, Duration took) {
        timer(type, "succeeded").record(took);
    }

    void failed(String type, Duration took) {
        timer(type, "failed").record(took);
        Counter.builder("gatehouse.jobs.failures")
                .description("Failed job attempts")
                .tag("type", type)
                .register(registry)
                .increment();
    }

    void dead(String type) {
        Counter.builder("gatehouse.jobs.dead")
                .description("Jobs moved to the dead-letter state")
                .tag("type", type)
                .register(registry)
                .increment();
    }

    void recurringFailed(String name) {
        Counter.builder("gatehouse.jobs.recurring.failures")
                .description("Failed runs of recurring jobs")
                .tag("name", name)
                .register(registry)
                .increment();
    }

    private Timer timer(String type, String outcome) {
        return Timer.builder("gatehouse.jobs.duration")
                .description("Time spent in job attempts")
                .tag("type", type)
                .tag("outcome", outcome)
                .register(registry);
    }

    /** Cache age is measured with the monotonic clock: it is elapsed time, not business time. */
    private @Nullable Map<JobState, Long> snapshot() {
        synchronized (lock) {
            long now = System.nanoTime();
            if (counts == null || now - countedAt > CACHE_NANOS) {
                try {
                    counts = runs.unfinishedCounts();
                    countedAt = now;
                } catch (DataAccessException e) {
                    log.warn("job_counts_unavailable error={}", e.getMessage());
                    return null;
                }
            }
            return counts;
        }
    }
}
