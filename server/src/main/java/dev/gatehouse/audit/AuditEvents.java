package dev.gatehouse.audit;

import static dev.gatehouse.platform.Timestamps.instant;
import static dev.gatehouse.platform.Timestamps.utc;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The {@code audit_events} table and its {@code audit_chain_head}. Rows are only ever inserted. */
@Repository
class AuditEvents {

    private static final String COLUMNS = "seq, id, occurred_at, actor_id, impersonator_id, action, target_type,"
            + " target_id, ip, user_agent, request_id, details::text as details, prev_hash, hash";

    /** The last appended row as the writer recorded it. */
    record Head(long seq, byte[] hash) {}

    /**
     * The head, locked until the caller's transaction ends, and the highest seq in the table. The two differ
     * only when rows were inserted behind Gatehouse's back; see {@link AuditWriter}.
     */
    record LockedHead(Head head, long maxSeq) {}

    private final JdbcClient db;

    AuditEvents(JdbcClient db) {
        this.db = db;
    }

    /**
     * Locks the chain head. In READ COMMITTED a waiting {@code FOR UPDATE} returns the head as the previous
     * holder committed it, so each writer sees the row the one before it appended.
     */
    LockedHead lockHead() {
        return db.sql("""
                select h.seq, h.hash, coalesce((select max(e.seq) from audit_events e), 0) as max_seq
                from audit_chain_head h
                for update of h
                """)
                .query((rs, i) ->
                        new LockedHead(new Head(rs.getLong("seq"), rs.getBytes("hash")), rs.getLong("max_seq")))
                .single();
    }

    /** The head without a lock, as of the current transaction's snapshot. */
    Head head() {
        return db.sql("select seq, hash from audit_chain_head")
                .query((rs, i) -> new Head(rs.getLong("seq"), rs.getBytes("hash")))
                .single();
    }

    /** Inserts the row and moves the head to it, in one statement; the head must be locked by the caller. */
    void append(AuditEvent e, String detailsJson) {
        db.sql("""
                with appended as (
                    insert into audit_events (seq, id, occurred_at, actor_id, impersonator_id, action, target_type,
                                              target_id, ip, user_agent, request_id, details, prev_hash, hash)
                    values (:seq, :id, :at, :actor, :impersonator, :action, :targetType, :targetId, :ip, :ua,
                            :requestId, cast(:details as jsonb), :prevHash, :hash)
                    returning seq, hash)
                update audit_chain_head h set seq = appended.seq, hash = appended.hash from appended
                """)
                .param("seq", e.seq())
                .param("id", e.id())
                .param("at", utc(e.occurredAt()))
                .param("actor", e.actorId())
                .param("impersonator", e.impersonatorId())
                .param("action", e.action())
                .param("targetType", e.targetType())
                .param("targetId", e.targetId())
                .param("ip", e.ip())
                .param("ua", e.userAgent())
                .param("requestId", e.requestId())
                .param("details", detailsJson)
                .param("prevHash", e.prevHash())
                .param("hash", e.hash())
                .update();
    }

    /** Up to {@code limit} rows after {@code afterSeq}, oldest first: one batch of the verify walk. */
    List<AuditEvent> chainAfter(long afterSeq, int limit) {
        return db.sql("select " + COLUMNS + " from audit_events where seq > :after order by seq limit :limit")
                .param("after", afterSeq)
                .param("limit", limit)
                .query(AuditEvents::map)
                .list();
    }

    /** Newest first, keyset-paginated on seq: rows older than {@code beforeSeq} when it is set. */
    List<AuditEvent> search(AuditFilter filter, @Nullable Long beforeSeq, int limit) {
        StringBuilder sql = new StringBuilder("select " + COLUMNS + " from audit_events where true");
        Map<String, Object> params = new LinkedHashMap<>();
        filter.where(sql, params);
        if (beforeSeq != null) {
            sql.append(" and seq < :before");
            params.put("before", beforeSeq);
        }
        sql.append(" order by seq desc limit :limit");
        params.put("limit", limit);
        return db.sql(sql.toString()).params(params).query(AuditEvents::map).list();
    }

    /** Oldest first, rows in {@code (afterSeq, throughSeq]} that match: one batch of an export. */
    List<AuditEvent> exportBatch(AuditFilter filter, long afterSeq, long throughSeq, int limit) {
        StringBuilder sql =
                new StringBuilder("select " + COLUMNS + " from audit_events where seq > :after and seq <= :through");
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("after", afterSeq);
        params.put("through", throughSeq);
        filter.where(sql, params);
        sql.append(" order by seq limit :limit");
        params.put("limit", limit);
        return db.sql(sql.toString()).params(params).query(AuditEvents::map).list();
    }

    private static AuditEvent map(ResultSet rs, int row) throws SQLException {
        return new AuditEvent(
                rs.getLong("seq"),
                rs.getObject("id", UUID.class),
                instant(rs, "occurred_at"),
                rs.getObject("actor_id", UUID.class),
                rs.getObject("impersonator_id", UUID.class),
                rs.getString("action"),
                rs.getString("target_type"),
                rs.getString("target_id"),
                rs.getString("ip"),
                rs.getString("user_agent"),
                rs.getString("request_id"),
                CanonicalJson.parse(rs.getString("details")),
                rs.getBytes("prev_hash"),
                rs.getBytes("hash"));
    }
}
