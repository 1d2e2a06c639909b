package dev.gatehouse.jobs;

import com.github.kagkarlsson.scheduler.SchedulerClient;
import dev.gatehouse.platform.Problems;
import dev.gatehouse.platform.RequestIds;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.datasource.TransactionAwareDataSourceProxy;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Puts jobs on the queue: a {@code job_runs} row and a db-scheduler execution, written in the caller's
 * transaction. Scheduling goes through a db-scheduler client of its own rather than the running scheduler,
 * so enqueueing works from the first bean to the last, before this node starts running jobs.
 */
@Service
class JobQueue implements Jobs {

    private final JobRuns runs;
    private final JobHandlers handlers;
    private final JobExecutor executor;
    private final JobScheduler scheduler;
    private final SchedulerClient client;
    private final Clock clock;

    JobQueue(
            JobRuns runs,
            JobHandlers handlers,
            JobExecutor executor,
            JobScheduler scheduler,
            DataSource dataSource,
            Clock clock) {
        this.runs = runs;
        this.handlers = handlers;
        this.executor = executor;
        this.scheduler = scheduler;
        this.client = SchedulerClient.Builder.create(new TransactionAwareDataSourceProxy(dataSource))
                .build();
        this.clock = clock;
    }

    @Override
    @Transactional
    public <P extends Record> UUID enqueue(JobType<P> type, P payload, @Nullable UUID ownerUserId) {
        JobHandler<?> handler = handlers.find(type.name())
                .orElseThrow(() -> new IllegalArgumentException("No job handler for type '" + type.name() + "'"));
        if (!handler.type().equals(type)) {
            throw new IllegalArgumentException("Job type '" + type.name() + "' takes a "
                    + handler.type().payloadType().getName() + ", not a "
                    + type.payloadType().getName());
        }
        UUID id = UUID.randomUUID();
        Instant now = clock.instant();
        runs.insert(new JobRun(
                id,
                type.name(),
                type.write(payload),
                JobState.QUEUED,
                0,
                executor.policy(type.name()).maxAttempts(),
                null,
                RequestIds.current(),
                ownerUserId,
                now,
                now,
                now));
        schedule(id, now);
        return id;
    }

    /** Gives a dead job a fresh set of attempts and runs it again. */
    @Transactional
    JobRun retry(UUID id) {
        Instant now = clock.instant();
        Optional<JobRun> requeued = runs.requeue(id, now);
        if (requeued.isEmpty()) {
            JobRun existing = runs.find(id).orElseThrow(() -> Problems.notFound("Job"));
            throw Problems.conflict(
                    "job_not_dead",
                    "Only a dead job can be retried; this one is "
                            + existing.state().wire() + ".");
        }
        schedule(id, now);
        return requeued.get();
    }

    private void schedule(UUID id, Instant at) {
        // scheduleIfNotExists: a dead job's execution was removed when it died, so a retry re-creates it; if
        // one somehow remains, the job runs from that one rather than failing the caller's transaction.
        client.scheduleIfNotExists(JobExecutor.TASK.instance(id.toString()).scheduledTo(at));
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCommit() {
                    scheduler.wakeUp();
                }
            });
        } else {
            scheduler.wakeUp();
        }
    }
}
