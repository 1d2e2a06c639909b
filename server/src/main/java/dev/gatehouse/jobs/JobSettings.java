package dev.gatehouse.jobs;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Job runner settings ({@code gatehouse.jobs.*}).
 *
 * @param pollInterval how often each node looks for due jobs when nothing woke it earlier
 * @param threads how many jobs one node runs at once (each on a virtual thread)
 * @param heartbeatInterval how often a node marks its running jobs alive; a job whose node misses six
 *     heartbeats in a row is taken to be orphaned (its node died) and is run again
 * @param shutdownMaxWait how long shutdown waits for running jobs to finish
 * @param retry the retry policy of job types that do not bring their own
 * @param purge the daily clean-up of old succeeded job records
 */
@ConfigurationProperties("gatehouse.jobs")
record JobSettings(
        @DefaultValue("1s") Duration pollInterval,
        @DefaultValue("10") int threads,
        @DefaultValue("30s") Duration heartbeatInterval,
        @DefaultValue("30s") Duration shutdownMaxWait,
        @DefaultValue Retry retry,
        @DefaultValue Purge purge) {

    JobSettings {
        if (threads < 1) throw new IllegalArgumentException("gatehouse.jobs.threads must be at least 1");
    }

    /**
     * The default retry policy ({@code gatehouse.jobs.retry.*}).
     *
     * @param maxAttempts attempts in total before a job is dead
     * @param initialDelay wait after the first failure; doubles after each further failure
     * @param maxDelay the longest wait between attempts
     */
    record Retry(
            @DefaultValue("8") int maxAttempts,
            @DefaultValue("10s") Duration initialDelay,
            @DefaultValue("1h") Duration maxDelay) {

        RetryPolicy policy() {
            return new RetryPolicy(maxAttempts, initialDelay, maxDelay);
        }
    }

    /**
     * The clean-up of succeeded job records ({@code gatehouse.jobs.purge.*}); failed and dead ones are kept.
     *
     * @param retention how long a succeeded job's record is kept
     * @param cron when the clean-up runs, a cron expression with seconds, in UTC
     */
    record Purge(
            @DefaultValue("30d") Duration retention,
            @DefaultValue("0 17 3 * * *") String cron) {}
}
