package dev.gatehouse.jobs;

import com.github.kagkarlsson.scheduler.task.CompletionHandler;
import com.github.kagkarlsson.scheduler.task.ExecutionComplete;
import com.github.kagkarlsson.scheduler.task.ExecutionContext;
import com.github.kagkarlsson.scheduler.task.ExecutionOperations;
import com.github.kagkarlsson.scheduler.task.TaskDescriptor;
import com.github.kagkarlsson.scheduler.task.TaskInstance;
import com.github.kagkarlsson.scheduler.task.helper.CustomTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import dev.gatehouse.platform.RequestIds;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Runs jobs for db-scheduler and keeps {@code job_runs} in step with it.
 *
 * <p>Every job is an instance of one db-scheduler task, {@value #TASK_NAME}, whose instance id is the job
 * id; type and payload live in {@code job_runs}. Each outcome is written in the same transaction as
 * db-scheduler's own bookkeeping (remove on success or death, reschedule on failure), so the two tables
 * never disagree. An execution whose node died mid-run is revived by db-scheduler after missed heartbeats;
 * the attempt it was in still counts, and a job already finished is not run again.
 */
@Component
class JobExecutor {

    static final String TASK_NAME = "gatehouse-job";
    static final TaskDescriptor<Void> TASK = TaskDescriptor.of(TASK_NAME);

    private static final Logger log = LoggerFactory.getLogger(JobExecutor.class);
    private static final int MAX_ERROR_LENGTH = 2000;

    private final JobRuns runs;
    private final JobHandlers handlers;
    private final JobMetrics metrics;
    private final JobSettings settings;
    private final TransactionTemplate tx;
    private final Clock clock;

    JobExecutor(
            JobRuns runs,
            JobHandlers handlers,
            JobMetrics metrics,
            JobSettings settings,
            PlatformTransactionManager transactions,
            Clock clock) {
        this.runs = runs;
        this.handlers = handlers;
        this.metrics = metrics;
        this.settings = settings;
        this.tx = new TransactionTemplate(transactions);
        this.clock = clock;
    }

    CustomTask<Void> task() {
        return Tasks.custom(TASK)
                .onFailure(this::failed)
                .onDeadExecutionRevive()
                .execute(this::execute);
    }

    /** The retry policy of a type: the handler's own, else the configured default. */
    RetryPolicy policy(String type) {
        return handlers.find(type)
                .flatMap(JobHandler::retryPolicy)
                .orElseGet(() -> settings.retry().policy());
    }

    private CompletionHandler<Void> execute(TaskInstance<Void> instance, ExecutionContext context) {
        UUID id = UUID.fromString(instance.getId());
        Optional<JobRun> started = runs.start(id, clock.instant());
        if (started.isEmpty()) {
            // Finished or gone: a revived execution of a job whose outcome was already recorded.
            return (complete, ops) -> ops.remove();
        }
        JobRun run = started.get();
        if (run.attempts() > run.maxAttempts()) {
            return (complete, ops) ->
                    tx.executeWithoutResult(s -> deadLetter(run, "The node running its last attempt stopped.", ops));
        }
        JobHandler<?> handler = handlers.find(run.type()).orElseThrow(() -> new NoHandler(run.type()));
        String outerRequestId = MDC.get(RequestIds.MDC_KEY);
        if (run.requestId() != null) MDC.put(RequestIds.MDC_KEY, run.requestId());
        long began = System.nanoTime();
        try {
            handle(handler, run.payload());
        } catch (Exception e) {
            metrics.failed(run.type(), Duration.ofNanos(System.nanoTime() - began));
            throw new AttemptFailed(e);
        } finally {
            restore(outerRequestId);
        }
        metrics.succeeded(run.type(), Duration.ofNanos(System.nanoTime() - began));
        log.debug("job_succeeded id={} type={} attempt={}", id, run.type(), run.attempts());
        return (complete, ops) -> tx.executeWithoutResult(s -> {
            runs.succeeded(id, clock.instant());
            ops.remove();
        });
    }

    private void failed(ExecutionComplete complete, ExecutionOperations<Void> ops) {
        UUID id = UUID.fromString(complete.getExecution().taskInstance.getId());
        Throwable cause = unwrap(complete.getCause().orElse(null));
        String error = describe(cause);
        tx.executeWithoutResult(s -> {
            Optional<JobRun> found = runs.find(id);
            if (found.isEmpty()) {
                ops.remove();
                return;
            }
            JobRun run = found.get();
            if (cause instanceof NoHandler) {
                // Counted here because the attempt never reached a handler's timing.
                metrics.failed(run.type(), Duration.ZERO);
            }
            if (cause instanceof PermanentJobFailure || run.attempts() >= run.maxAttempts()) {
                deadLetter(run, error, ops);
                return;
            }
            Instant now = clock.instant();
            Instant next = now.plus(policy(run.type()).delayAfter(run.attempts()));
            runs.failed(id, error, next, now);
            ops.reschedule(complete, next);
            log.warn(
                    "job_failed id={} type={} attempt={} max_attempts={} next_attempt_at={} error={}",
                    id,
                    run.type(),
                    run.attempts(),
                    run.maxAttempts(),
                    next,
                    error);
        });
    }

    /** Must run inside a transaction: the record, the owner's callback and the execution's removal go together. */
    private void deadLetter(JobRun run, String error, ExecutionOperations<Void> ops) {
        runs.dead(run.id(), error, clock.instant());
        handlers.find(run.type()).ifPresent(handler -> {
            try {
                onDead(handler, run.payload());
            } catch (PermanentJobFailure e) {
                log.warn("job_dead_callback_skipped id={} type={} error={}", run.id(), run.type(), e.getMessage());
            } catch (RuntimeException e) {
                log.error("job_dead_callback_failed id={} type={}", run.id(), run.type(), e);
            }
        });
        ops.remove();
        metrics.dead(run.type());
        log.error(
                "job_dead id={} type={} attempts={} request_id={} error={}",
                run.id(),
                run.type(),
                run.attempts(),
                run.requestId(),
                error);
    }

    private static <P extends Record> void handle(JobHandler<P> handler, String payload) throws Exception {
        handler.handle(handler.type().read(payload));
    }

    private static <P extends Record> void onDead(JobHandler<P> handler, String payload) {
        handler.onDead(handler.type().read(payload));
    }

    private static void restore(@Nullable String requestId) {
        if (requestId == null) {
            MDC.remove(RequestIds.MDC_KEY);
        } else {
            MDC.put(RequestIds.MDC_KEY, requestId);
        }
    }

    private static @Nullable Throwable unwrap(@Nullable Throwable t) {
        return t instanceof AttemptFailed && t.getCause() != null ? t.getCause() : t;
    }

    static String describe(@Nullable Throwable t) {
        if (t == null) return "unknown failure";
        String text =
                t.getMessage() == null ? t.getClass().getName() : t.getClass().getName() + ": " + t.getMessage();
        return text.length() > MAX_ERROR_LENGTH ? text.substring(0, MAX_ERROR_LENGTH) : text;
    }

    /** Carries a handler's checked exception through db-scheduler, which accepts only unchecked ones. */
    private static final class AttemptFailed extends RuntimeException {
        AttemptFailed(Exception cause) {
            super(cause.getMessage(), cause, /* enableSuppression= */ false, /* writableStackTrace= */ false);
        }
    }

    /** A job whose type no handler on this node runs; retried, since a newer node may know it. */
    private static final class NoHandler extends RuntimeException {
        NoHandler(String type) {
            super("No handler for job type '" + type + "' on this node", null, false, false);
        }
    }
}
