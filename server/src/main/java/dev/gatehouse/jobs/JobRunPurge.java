package dev.gatehouse.jobs;

import java.time.Clock;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Deletes the records of jobs that succeeded more than {@code gatehouse.jobs.purge.retention} ago, daily.
 * Failed and dead jobs stay until someone looks at them. Deletes in batches so that no single statement
 * holds locks on a large part of the table.
 */
@Component
class JobRunPurge implements RecurringJob {

    private static final Logger log = LoggerFactory.getLogger(JobRunPurge.class);
    private static final int BATCH = 5_000;

    private final JobRuns runs;
    private final JobSettings settings;
    private final Clock clock;

    JobRunPurge(JobRuns runs, JobSettings settings, Clock clock) {
        this.runs = runs;
        this.settings = settings;
        this.clock = clock;
    }

    @Override
    public String name() {
        return "job-runs-purge";
    }

    @Override
    public RecurringSchedule schedule() {
        return RecurringSchedule.cron(settings.purge().cron());
    }

    @Override
    public void run() {
        Instant before = clock.instant().minus(settings.purge().retention());
        int total = 0;
        int deleted;
        do {
            deleted = runs.purgeSucceeded(before, BATCH);
            total += deleted;
        } while (deleted == BATCH);
        log.info("job_runs_purged count={} before={}", total, before);
    }
}
