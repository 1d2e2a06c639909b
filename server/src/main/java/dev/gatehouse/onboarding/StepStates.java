package dev.gatehouse.onboarding;

import static dev.gatehouse.platform.Timestamps.nullableInstant;
import static dev.gatehouse.platform.Timestamps.utc;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * Users' states of the active version's steps ({@code onboarding_progress}). A row exists only for a step the user
 * changed; the others are {@link StepState#UNTOUCHED}.
 */
@Repository
class StepStates {

    private final JdbcClient db;

    StepStates(JdbcClient db) {
        this.db = db;
    }

    /** The user's stored states by step key. */
    Map<String, StepState> of(UUID userId) {
        Map<String, StepState> states = new HashMap<>();
        db.sql("select * from onboarding_progress where user_id = :user")
                .param("user", userId)
                .query((rs, row) -> states.put(rs.getString("step_key"), state(rs)))
                .list();
        return states;
    }

    /**
     * The user's state of the step, its row locked until the transaction ends. An untouched step gets its
     * {@code todo} row first (a concurrent first change waits for this one, then finds the row), so every
     * change of a step is serialized on one row.
     */
    StepState lock(UUID userId, int version, String key, Instant now) {
        db.sql("""
                insert into onboarding_progress (user_id, version, step_key, status, row_version, updated_at)
                values (:user, :version, :key, :todo, 1, :now)
                on conflict (user_id, step_key) do nothing
                """)
                .param("user", userId)
                .param("version", version)
                .param("key", key)
                .param("todo", StepStatus.TODO.wire())
                .param("now", utc(now))
                .update();
        Optional<StepState> state = db.sql(
                        "select * from onboarding_progress where user_id = :user and step_key = :key for update")
                .param("user", userId)
                .param("key", key)
                .query((rs, row) -> state(rs))
                .optional();
        return state.orElseThrow(() -> new IllegalStateException("the progress row was just written"));
    }

    /** Writes a change the caller checked under the row lock; the row version moves on by one. */
    StepState write(UUID userId, String key, StepState current, StepStatus status, Instant now) {
        StepState next = new StepState(
                status, current.rowVersion() + 1, now, status == StepStatus.DONE ? now : current.completedAt());
        db.sql("""
                update onboarding_progress
                set status = :status, row_version = :rowVersion, updated_at = :now, completed_at = :completed
                where user_id = :user and step_key = :key
                """)
                .param("status", status.wire())
                .param("rowVersion", next.rowVersion())
                .param("now", utc(now))
                .param("completed", utc(next.completedAt()))
                .param("user", userId)
                .param("key", key)
                .update();
        return next;
    }

    /**
     * What a version migration did to the stored states.
     *
     * @param users the users who had stored states
     * @param doneKept done states carried over as they were
     * @param skippedReset skipped states reset to todo
     * @param todoKept todo states carried over as they were
     * @param dropped states of steps the new version does not have, deleted
     */
    record Moved(int users, int doneKept, int skippedReset, int todoKept, int dropped) {}

    /**
     * Moves every stored state from one version to the next, as a version migration does: states of steps the
     * new version no longer has (by key) are deleted; done ones are kept, completion time included; skipped ones
     * are reset to {@code todo} (a skip is not a completion, and the new version asks again) with their row
     * version moved on, so a client still holding the old one gets a 409 rather than changing a state it has
     * not seen; todo ones are kept. Set-based statements in the caller's transaction.
     */
    Moved migrate(int from, int to, Instant now) {
        int users = db.sql("select count(distinct user_id) from onboarding_progress where version = :from")
                .param("from", from)
                .query(Integer.class)
                .single();
        int dropped = db.sql("""
                        delete from onboarding_progress p where p.version = :from
                        and not exists (select 1 from onboarding_steps s where s.version = :to and s.key = p.step_key)
                        """).param("from", from).param("to", to).update();
        int reset = db.sql("""
                        update onboarding_progress
                        set version = :to, status = :todo, row_version = row_version + 1, updated_at = :now
                        where version = :from and status = :skipped
                        """)
                .param("to", to)
                .param("todo", StepStatus.TODO.wire())
                .param("now", utc(now))
                .param("from", from)
                .param("skipped", StepStatus.SKIPPED.wire())
                .update();
        int done = carry(from, to, StepStatus.DONE);
        int todo = carry(from, to, StepStatus.TODO);
        return new Moved(users, done, reset, todo, dropped);
    }

    private int carry(int from, int to, StepStatus status) {
        return db.sql("update onboarding_progress set version = :to where version = :from and status = :status")
                .param("to", to)
                .param("from", from)
                .param("status", status.wire())
                .update();
    }

    private static StepState state(ResultSet rs) throws SQLException {
        return new StepState(
                StepStatus.of(rs.getString("status")),
                rs.getInt("row_version"),
                nullableInstant(rs, "updated_at"),
                nullableInstant(rs, "completed_at"));
    }
}
