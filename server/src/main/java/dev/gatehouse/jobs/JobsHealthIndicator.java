package dev.gatehouse.jobs;

import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.stereotype.Component;

/** Health contributor {@code jobs}: down unless this node's scheduler is running, so it leaves readiness. */
@Component
class JobsHealthIndicator extends AbstractHealthIndicator {

    private final JobScheduler scheduler;
    private final JobMetrics metrics;

    JobsHealthIndicator(JobScheduler scheduler, JobMetrics metrics) {
        super("Job scheduler health check failed");
        this.scheduler = scheduler;
        this.metrics = metrics;
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) {
        (scheduler.running() ? builder.up() : builder.down().withDetail("scheduler", "not running"))
                .withDetail("queue_depth", metrics.queueDepth())
                .withDetail("dead", metrics.count(JobState.DEAD));
    }
}
