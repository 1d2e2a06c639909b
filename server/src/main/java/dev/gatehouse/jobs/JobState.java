package dev.gatehouse.jobs;

import java.util.Locale;
import java.util.Optional;

/**
 * Where a job is in its life: {@code queued} (waiting for its first or a requeued run), {@code running},
 * {@code failed} (the last attempt failed and a retry is scheduled), {@code succeeded} and {@code dead}
 * (attempts used up; waits for an operator's retry).
 */
enum JobState {
    QUEUED,
    RUNNING,
    SUCCEEDED,
    FAILED,
    DEAD;

    /** The name stored in the database and shown on the API. */
    String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    static JobState fromWire(String value) {
        return valueOf(value.toUpperCase(Locale.ROOT));
    }

    static Optional<JobState> parse(String value) {
        for (JobState state : values()) {
            if (state.wire().equals(value)) return Optional.of(state);
        }
        return Optional.empty();
    }
}
