package dev.gatehouse.jobs;

import java.time.Instant;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/** One job's history record: a row of {@code job_runs}; its id is also the db-scheduler instance id. */
record JobRun(
        UUID id,
        String type,
        String payload,
        JobState state,
        int attempts,
        int maxAttempts,
        @Nullable String lastError,
        @Nullable String requestId,
        @Nullable UUID ownerUserId,
        Instant createdAt,
        Instant updatedAt,
        @Nullable Instant nextAttemptAt) {

    boolean ownedBy(UUID userId) {
        return userId.equals(ownerUserId);
    }
}
