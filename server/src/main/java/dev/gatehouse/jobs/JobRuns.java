package dev.gatehouse.jobs;

import static dev.gatehouse.platform.Timestamps.instant;
import static dev.gatehouse.platform.Timestamps.nullableInstant;
import static dev.gatehouse.platform.Timestamps.utc;

import dev.gatehouse.platform.Keyset;
import dev.gatehouse.platform.Page;
import dev.gatehouse.platform.PageCursor;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The {@code job_runs} table. State changes are guarded in SQL ({@code where state = ...}) so a late or
 * repeated transition, such as a revived execution of a finished job, changes nothing.
 */
@Repository
class JobRuns {

    private static final String COLUMNS =
            "id, type, payload::text as payload, state, attempts, max_attempts, last_error,"
                    + " request_id, owner_user_id, created_at, updated_at, next_attempt_at";

    private static final Keyset<JobRun> NEWEST_FIRST =
            Keyset.newestFirst("created_at", "id", JobRuns::map, run -> new PageCursor(run.createdAt(), run.id()));

    private final JdbcClient db;

    JobRuns(JdbcClient db) {
        this.db = db;
    }

    void insert(JobRun run) {
        db.sql("""
                insert into job_runs (id, type, payload, state, attempts, max_attempts, request_id, owner_user_id,
                                      created_at, updated_at, next_attempt_at)
                values (:id, :type, cast(:payload as jsonb), :state, :attempts, :max, :request, :owner,
                        :created, :updated, :next)
                """)
                .param("id", run.id())
                .param("type", run.type())
                .param("payload", run.payload())
                .param("state", run.state().wire())
                .param("attempts", run.attempts())
                .param("max", run.maxAttempts())
                .param("request", run.requestId())
                .param("owner", run.ownerUserId())
                .param("created", utc(run.createdAt()))
                .param("updated", utc(run.updatedAt()))
                .param("next", utc(run.nextAttemptAt()))
                .update();
    }

    Optional<JobRun> find(UUID id) {
        return db.sql("select " + COLUMNS + " from job_runs where id = :id")
                .param("id", id)
                .query(JobRuns::map)
                .optional();
    }

    /**
     * Marks the start of an attempt and counts it, in its own statement, so an attempt that kills its node
     * still counts and a job that keeps crashing nodes ends up dead instead of looping. Empty when the job
     * is gone or already finished (a revived execution of work that completed).
     */
    Optional<JobRun> start(UUID id, Instant now) {
        return db.sql("""
                update job_runs set state = 'running', attempts = attempts + 1, updated_at = :now, next_attempt_at = null
                where id = :id and state in ('queued', 'failed', 'running')
                returning\s""" + COLUMNS)
                .param("id", id)
                .param("now", utc(now))
                .query(JobRuns::map)
                .optional();
    }

    void succeeded(UUID id, Instant now) {
        db.sql("update job_runs set state = 'succeeded', updated_at = :now where id = :id and state = 'running'")
                .param("id", id)
                .param("now", utc(now))
                .update();
    }

    void failed(UUID id, String error, Instant nextAttempt, Instant now) {
        db.sql("""
                update job_runs set state = 'failed', last_error = :error, next_attempt_at = :next, updated_at = :now
                where id = :id and state = 'running'
                """)
                .param("id", id)
                .param("error", error)
                .param("next", utc(nextAttempt))
                .param("now", utc(now))
                .update();
    }

    void dead(UUID id, String error, Instant now) {
        db.sql("""
                update job_runs set state = 'dead', last_error = :error, next_attempt_at = null, updated_at = :now
                where id = :id and state = 'running'
                """).param("id", id).param("error", error).param("now", utc(now)).update();
    }

    /** Gives a dead job a fresh set of attempts; empty unless it was dead. */
    Optional<JobRun> requeue(UUID id, Instant now) {
        return db.sql("""
                update job_runs set state = 'queued', attempts = 0, next_attempt_at = :now, updated_at = :now
                where id = :id and state = 'dead'
                returning\s""" + COLUMNS)
                .param("id", id)
                .param("now", utc(now))
                .query(JobRuns::map)
                .optional();
    }

    /** Newest first, keyset-paginated on (created_at, id), so pages stay stable while jobs are added. */
    Page<JobRun> page(@Nullable JobState state, @Nullable String type, @Nullable PageCursor after, int limit) {
        StringBuilder where = new StringBuilder("select " + COLUMNS + " from job_runs where true");
        Map<String, Object> params = new LinkedHashMap<>();
        if (state != null) {
            where.append(" and state = :state");
            params.put("state", state.wire());
        }
        if (type != null) {
            where.append(" and type = :type");
            params.put("type", type);
        }
        return NEWEST_FIRST.fetch(after, limit, keyset -> db.sql(where + keyset).params(params));
    }

    /** How many jobs are in each unfinished state (succeeded jobs are not counted: they are history). */
    Map<JobState, Long> unfinishedCounts() {
        Map<JobState, Long> counts = new EnumMap<>(JobState.class);
        for (JobState s : List.of(JobState.QUEUED, JobState.RUNNING, JobState.FAILED, JobState.DEAD)) {
            counts.put(s, 0L);
        }
        db.sql("select state, count(*) as n from job_runs where state <> 'succeeded' group by state")
                .query((rs, i) -> Map.entry(JobState.fromWire(rs.getString("state")), rs.getLong("n")))
                .list()
                .forEach(e -> counts.put(e.getKey(), e.getValue()));
        return counts;
    }

    /** Deletes up to {@code batch} succeeded records last touched before {@code before}; returns how many. */
    int purgeSucceeded(Instant before, int batch) {
        return db.sql("""
                delete from job_runs where id in (
                    select id from job_runs where state = 'succeeded' and updated_at < :before limit :batch)
                """).param("before", utc(before)).param("batch", batch).update();
    }

    private static JobRun map(ResultSet rs, int row) throws SQLException {
        return new JobRun(
                rs.getObject("id", UUID.class),
                rs.getString("type"),
                rs.getString("payload"),
                JobState.fromWire(rs.getString("state")),
                rs.getInt("attempts"),
                rs.getInt("max_attempts"),
                rs.getString("last_error"),
                rs.getString("request_id"),
                rs.getObject("owner_user_id", UUID.class),
                instant(rs, "created_at"),
                instant(rs, "updated_at"),
                nullableInstant(rs, "next_attempt_at"));
    }
}
