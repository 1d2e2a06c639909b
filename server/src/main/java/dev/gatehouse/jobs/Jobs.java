package dev.gatehouse.jobs;

import java.util.UUID;
import org.jspecify.annotations.Nullable;

/** Enqueues background jobs; the public entry point of the jobs module. */
public interface Jobs {

    /**
     * Enqueues a job in the caller's transaction (or in a new one when there is none): the job exists, and
     * runs, only if that transaction commits. The current request id is recorded with it.
     *
     * @param type the {@link JobHandler#type()} that will run it
     * @param payload the handler's input, stored as JSON
     * @param ownerUserId the user who may read the job's status at {@code /api/v1/jobs/{id}}, or null
     * @return the job id
     * @throws IllegalArgumentException when no handler runs {@code type}
     */
    <P extends Record> UUID enqueue(JobType<P> type, P payload, @Nullable UUID ownerUserId);
}
