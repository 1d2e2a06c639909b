package dev.gatehouse.jobs;

import java.time.Instant;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * A job as the API shows it. The payload is never shown (it may carry tokens); the last error only to
 * admins, since it can name internal hosts.
 */
record JobView(
        UUID id,
        String type,
        String state,
        int attempts,
        int maxAttempts,
        @Nullable String lastError,
        @Nullable String requestId,
        @Nullable UUID ownerUserId,
        Instant createdAt,
        Instant updatedAt,
        @Nullable Instant nextAttemptAt) {

    static JobView of(JobRun run, boolean admin) {
        return new JobView(
                run.id(),
                run.type(),
                run.state().wire(),
                run.attempts(),
                run.maxAttempts(),
                admin ? run.lastError() : null,
                run.requestId(),
                run.ownerUserId(),
                run.createdAt(),
                run.updatedAt(),
                run.nextAttemptAt());
    }
}
