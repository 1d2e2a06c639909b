package dev.gatehouse.jobs;

import com.github.kagkarlsson.scheduler.Scheduler;
import com.github.kagkarlsson.scheduler.logging.LogLevel;
import com.github.kagkarlsson.scheduler.stats.MicrometerStatsRegistry;
import com.github.kagkarlsson.scheduler.task.Task;
import com.github.kagkarlsson.scheduler.task.helper.RecurringTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import com.github.kagkarlsson.scheduler.task.schedule.Schedule;
import com.github.kagkarlsson.scheduler.task.schedule.Schedules;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.datasource.TransactionAwareDataSourceProxy;
import org.springframework.stereotype.Component;

/**
 * Owns this node's db-scheduler instance: built and started once the application is ready (so no job runs
 * against a half-started context), stopped first on shutdown, waiting up to
 * {@code gatehouse.jobs.shutdown-max-wait} for running jobs. Jobs are fetched with {@code SELECT ... FOR
 * UPDATE SKIP LOCKED}, so any number of nodes share the queue without running a job twice at once.
 */
@Component
class JobScheduler implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(JobScheduler.class);

    private final DataSource dataSource;
    private final JobExecutor executor;
    private final ObjectProvider<RecurringJob> recurringJobs;
    private final JobMetrics metrics;
    private final JobSettings settings;
    private final MeterRegistry meters;
    private final Clock clock;

    private volatile @Nullable Scheduler scheduler;

    JobScheduler(
            DataSource dataSource,
            JobExecutor executor,
            ObjectProvider<RecurringJob> recurringJobs,
            JobMetrics metrics,
            JobSettings settings,
            MeterRegistry meters,
            Clock clock) {
        // db-scheduler takes plain JDBC connections; the proxy hands it the connection of the current Spring
        // transaction when there is one, which is what lets its writes commit or roll back with ours.
        this.dataSource = new TransactionAwareDataSourceProxy(dataSource);
        this.executor = executor;
        this.recurringJobs = recurringJobs;
        this.metrics = metrics;
        this.settings = settings;
        this.meters = meters;
        this.clock = clock;
    }

    @EventListener(ApplicationReadyEvent.class)
    synchronized void startWhenReady() {
        if (scheduler != null) return;
        List<Task<?>> known = List.of(executor.task());
        List<RecurringTask<Void>> recurring = recurringTasks();
        List<Task<?>> all = new ArrayList<>(known);
        all.addAll(recurring);
        Scheduler built = Scheduler.create(dataSource, known)
                .startTasks(recurring)
                .clock(clock::instant)
                .threads(settings.threads())
                .executorService(Executors.newThreadPerTaskExecutor(
                        Thread.ofVirtual().name("gatehouse-job-", 0).factory()))
                .pollingInterval(settings.pollInterval())
                .pollUsingLockAndFetch(0.5, 1.0)
                .heartbeatInterval(settings.heartbeatInterval())
                .shutdownMaxWait(settings.shutdownMaxWait())
                // Our enqueues commit after db-scheduler's in-process "immediate" signal fires, so Jobs also
                // wakes the scheduler after commit; this keeps the signal for db-scheduler's own scheduling.
                .enableImmediateExecution()
                // Failures are logged once, with the job's context, by JobExecutor.
                .failureLogging(LogLevel.DEBUG, /* logStackTrace= */ true)
                .statsRegistry(new MicrometerStatsRegistry(meters, all))
                .build();
        built.start();
        scheduler = built;
        log.info(
                "job_scheduler_started threads={} poll_interval={} recurring={}",
                settings.threads(),
                settings.pollInterval(),
                recurring.stream().map(RecurringTask::getName).toList());
    }

    /** Looks for due jobs now instead of at the next poll; called after a transaction that enqueued commits. */
    void wakeUp() {
        Scheduler current = scheduler;
        if (current != null && running()) current.triggerCheckForDueExecutions();
    }

    /** True while this node runs jobs: started, and neither paused nor shutting down. */
    boolean running() {
        Scheduler current = scheduler;
        if (current == null) return false;
        var state = current.getSchedulerState();
        return state.isStarted() && !state.isShuttingDown() && !state.isPaused();
    }

    private List<RecurringTask<Void>> recurringTasks() {
        List<RecurringTask<Void>> tasks = new ArrayList<>();
        Set<String> names = new HashSet<>();
        recurringJobs.orderedStream().forEach(job -> {
            if (!names.add(job.name()) || job.name().equals(JobExecutor.TASK_NAME)) {
                throw new IllegalStateException("Recurring job name '" + job.name() + "' is not unique");
            }
            tasks.add(Tasks.recurring(job.name(), schedule(job.schedule()))
                    .onFailureReschedule()
                    .onDeadExecutionRevive()
                    .execute((instance, context) -> runRecurring(job)));
        });
        return tasks;
    }

    private void runRecurring(RecurringJob job) {
        try {
            job.run();
        } catch (Exception e) {
            // The next occurrence is the retry; a recurring job has no dead-letter state.
            metrics.recurringFailed(job.name());
            log.error("recurring_job_failed name={}", job.name(), e);
        }
    }

    static Schedule schedule(RecurringSchedule schedule) {
        return switch (schedule) {
            case RecurringSchedule.Cron cron -> Schedules.cron(cron.expression(), cron.zone());
            case RecurringSchedule.FixedDelay delay -> Schedules.fixedDelay(delay.delay());
        };
    }

    // Lifecycle: start is driven by ApplicationReadyEvent above; the lifecycle is here for an ordered stop.

    @Override
    public boolean isAutoStartup() {
        return false;
    }

    @Override
    public void start() {}

    @Override
    public synchronized void stop() {
        Scheduler current = scheduler;
        if (current == null) return;
        log.info("job_scheduler_stopping");
        current.stop();
        scheduler = null;
    }

    @Override
    public boolean isRunning() {
        return scheduler != null;
    }

    /** Stops before the web server and the data source: running jobs finish while the database is there. */
    @Override
    public int getPhase() {
        return DEFAULT_PHASE;
    }
}
