package dev.gatehouse.identity;

import static dev.gatehouse.platform.Timestamps.utc;

import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * Sessions that have ended (revoked, or past their absolute lifetime) as the purge sees them: first their
 * rotated refresh tokens go, then, after the retention, the sessions themselves with their last tokens.
 * A session ended at {@code least(revoked_at, expires_at)}; the queries spell that expression exactly as
 * the partial indexes of V12 do, so that they use them.
 */
@Repository
class EndedSessions {

    private final JdbcClient db;

    EndedSessions(JdbcClient db) {
        this.db = db;
    }

    /** Up to {@code limit} sessions that ended before {@code before} and whose rotated tokens are still there. */
    List<UUID> unpurged(Instant before, int limit) {
        return db.sql("""
                select id from sessions
                where tokens_purged_at is null and least(revoked_at, expires_at) < :before
                order by least(revoked_at, expires_at)
                limit :limit
                """)
                .param("before", utc(before))
                .param("limit", limit)
                .query(UUID.class)
                .list();
    }

    /** Deletes up to {@code batch} tokens of these sessions rotated before {@code rotatedBefore}; returns how many. */
    int deleteRotatedTokens(List<UUID> sessionIds, Instant rotatedBefore, int batch) {
        return db.sql("""
                delete from refresh_tokens where id in (
                    select id from refresh_tokens
                    where session_id in (:sessions) and state = :rotated and rotated_at < :before
                    limit :batch)
                """)
                .param("sessions", sessionIds)
                .param("rotated", RefreshTokenState.ROTATED.wire())
                .param("before", utc(rotatedBefore))
                .param("batch", batch)
                .update();
    }

    void markPurged(List<UUID> sessionIds, Instant at) {
        db.sql("update sessions set tokens_purged_at = :at where id in (:sessions)")
                .param("sessions", sessionIds)
                .param("at", utc(at))
                .update();
    }

    /**
     * Deletes up to {@code batch} purged sessions that ended before {@code before}; their remaining tokens
     * (the family's last one) go with them (on delete cascade). Returns how many sessions.
     */
    int deleteEndedBefore(Instant before, int batch) {
        return db.sql("""
                delete from sessions where id in (
                    select id from sessions
                    where tokens_purged_at is not null and least(revoked_at, expires_at) < :before
                    limit :batch)
                """).param("before", utc(before)).param("batch", batch).update();
    }
}
