package dev.gatehouse.jobs;

import java.util.Optional;

/**
 * Runs the jobs of one type. Modules implement it as a Spring bean; each attempt runs outside any
 * transaction, so a handler opens its own where it needs one. Handlers must tolerate running the same
 * job more than once: delivery is at least once (a node can die after the work and before the record).
 */
public interface JobHandler {

    /** The job type this handler runs, such as {@code email.deliver}; unique within the application. */
    String type();

    /**
     * Runs one attempt. Returning completes the job; throwing schedules a retry after the policy's delay, or
     * moves the job to the dead-letter state when its attempts are used up or the exception is a
     * {@link PermanentJobFailure}.
     */
    void handle(String payload) throws Exception;

    /** How this type retries; empty means the module's configured default ({@code gatehouse.jobs.retry.*}). */
    default Optional<RetryPolicy> retryPolicy() {
        return Optional.empty();
    }

    /**
     * Called in the transaction that moves a job to the dead-letter state, so the owning module can mark its
     * own record (an email as undeliverable, say). It must not throw.
     */
    default void onDead(String payload) {}
}
