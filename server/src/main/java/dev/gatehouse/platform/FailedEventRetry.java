package dev.gatehouse.platform;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.modulith.events.FailedEventPublications;
import org.springframework.modulith.events.ResubmissionOptions;
import org.springframework.scheduling.annotation.SchedulingConfigurer;
import org.springframework.scheduling.config.FixedDelayTask;
import org.springframework.scheduling.config.ScheduledTaskRegistrar;
import org.springframework.stereotype.Component;

/**
 * Delivers again, every {@code gatehouse.events.retry-interval}, the event publications whose
 * {@code @ApplicationModuleListener} threw. Spring Modulith marks such a publication {@code FAILED} and on
 * its own retries it only when a node starts ({@code republish-outstanding-events-on-restart}); this makes
 * a passing fault (a lock timeout, an upstream hiccup) heal while the node runs.
 *
 * <p>Every node runs it, which is safe: Modulith claims each publication with a conditional update (to
 * {@code RESUBMITTED}) before running its listener, so one node takes it. The retry has no upper bound:
 * a publication that keeps failing stays in {@code event_publication}, retried once per interval, with
 * its error logged each time, until its listener is fixed.
 */
@Component
class FailedEventRetry implements SchedulingConfigurer {

    private static final Logger log = LoggerFactory.getLogger(FailedEventRetry.class);

    private final FailedEventPublications failed;
    private final EventSettings settings;

    FailedEventRetry(FailedEventPublications failed, EventSettings settings) {
        this.failed = failed;
        this.settings = settings;
    }

    @Override
    public void configureTasks(ScheduledTaskRegistrar registrar) {
        registrar.addFixedDelayTask(
                new FixedDelayTask(this::retry, settings.retryInterval(), settings.retryInterval()));
    }

    void retry() {
        try {
            // The minimum age counts from publication: a failed publication is retried from one interval after
            // it was published, then at each run.
            failed.resubmit(ResubmissionOptions.defaults().withMinAge(settings.retryInterval()));
        } catch (DataAccessException e) {
            // The next run retries; an unreachable database is reported by the readiness probe.
            log.warn("event_retry_failed", e);
        }
    }
}
