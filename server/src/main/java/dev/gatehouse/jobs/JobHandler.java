package dev.gatehouse.jobs;

import java.util.Optional;

/**
 * Runs the jobs of one type. Modules implement it as a Spring bean; each attempt runs outside any
 * transaction, so a handler opens its own where it needs one. Handlers must tolerate running the same
 * job more than once: delivery is at least once (a node can die after the work and before the record).
 *
 * @param <P> the payload record
 */
public interface JobHandler<P extends Record> {

    /** The job type this handler runs; its name is unique within the application. */
    JobType<P> type();

    /**
     * Runs one attempt. Returning completes the job; throwing schedules a retry after the policy's delay, or
     * moves the job to the dead-letter state when its attempts are used up or the exception is a
     * {@link PermanentJobFailure}.
     */
    void handle(P payload) throws Exception;

    /** How this type retries; empty means the module's configured default ({@code gatehouse.jobs.retry.*}). */
    default Optional<RetryPolicy> retryPolicy() {
        return Optional.empty();
    }

    /**
     * Called in the transaction that moves a job to the dead-letter state, so the owning module can mark its
     * own record (an email as undeliverable, say). It must not throw. Not called for a payload that cannot
     * be read as {@code P}.
     */
    default void onDead(P payload) {}
}
