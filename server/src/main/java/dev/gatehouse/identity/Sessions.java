package dev.gatehouse.identity;

import static dev.gatehouse.platform.Timestamps.instant;
import static dev.gatehouse.platform.Timestamps.nullableInstant;
import static dev.gatehouse.platform.Timestamps.utc;

import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Sign-in sessions (one per device sign-in) and the refresh tokens of each session's family. */
@Repository
class Sessions {

    record Session(
            UUID id,
            UUID userId,
            @Nullable String userAgent,
            @Nullable String ip,
            Instant createdAt,
            Instant lastSeenAt,
            Instant expiresAt,
            @Nullable Instant revokedAt,
            @Nullable UUID impersonatorId) {}

    /** A refresh token with what a rotation decision needs from its session and user. */
    record TokenRow(
            UUID id,
            UUID sessionId,
            String state,
            Instant expiresAt,
            @Nullable Instant rotatedAt,
            @Nullable UUID successorId,
            byte @Nullable [] successorSealed,
            UUID userId,
            @Nullable Instant sessionRevokedAt,
            Instant sessionExpiresAt,
            java.util.Set<String> roles,
            String userStatus) {}

    private final JdbcClient db;
    private final LiveSessions live;

    Sessions(JdbcClient db, LiveSessions live) {
        this.db = db;
        this.live = live;
    }

    private static final String INSERT_SESSION = """
            insert into sessions (id, user_id, user_agent, ip, created_at, last_seen_at, expires_at, impersonator_id)
            values (:id, :user, :ua, :ip, :created, :created, :expires, :impersonator)
            """;

    /** A session without a refresh family (impersonation). */
    void create(Session s) {
        bind(db.sql(INSERT_SESSION), s).update();
    }

    /**
     * Creates a sign-in session with the first refresh token of its family, in one statement: a sign-in
     * holds the user's row lock until it commits, so every round trip saved here is time other sign-ins
     * and admin actions on that user do not wait.
     */
    void createWithToken(Session s, UUID tokenId, byte[] tokenHash, Instant tokenExpiresAt) {
        bind(db.sql("with session as (" + INSERT_SESSION + """
                                returning id, created_at)
                        insert into refresh_tokens (id, session_id, token_hash, state, issued_at, expires_at)
                        select :tokenId, session.id, :tokenHash, 'active', session.created_at, :tokenExpires from session
                        """), s)
                .param("tokenId", tokenId)
                .param("tokenHash", tokenHash)
                .param("tokenExpires", utc(tokenExpiresAt))
                .update();
    }

    private static JdbcClient.StatementSpec bind(JdbcClient.StatementSpec spec, Session s) {
        return spec.param("id", s.id())
                .param("user", s.userId())
                .param("ua", s.userAgent())
                .param("ip", s.ip())
                .param("created", utc(s.createdAt()))
                .param("expires", utc(s.expiresAt()))
                .param("impersonator", s.impersonatorId());
    }

    /** Locks the token row: concurrent refreshes of one token queue here and decide one after another. */
    @Nullable
    TokenRow lockToken(byte[] hash) {
        return db.sql("""
                select rt.id, rt.session_id, rt.state, rt.expires_at, rt.rotated_at, rt.successor_id, rt.successor_sealed,
                       s.user_id, s.revoked_at as session_revoked_at, s.expires_at as session_expires_at,
                       u.roles, u.status
                from refresh_tokens rt
                join sessions s on s.id = rt.session_id
                join users u on u.id = s.user_id
                where rt.token_hash = :hash
                for update of rt
                """)
                .param("hash", hash)
                .query((rs, n) -> new TokenRow(
                        rs.getObject("id", UUID.class),
                        rs.getObject("session_id", UUID.class),
                        rs.getString("state"),
                        instant(rs, "expires_at"),
                        nullableInstant(rs, "rotated_at"),
                        rs.getObject("successor_id", UUID.class),
                        rs.getBytes("successor_sealed"),
                        rs.getObject("user_id", UUID.class),
                        nullableInstant(rs, "session_revoked_at"),
                        instant(rs, "session_expires_at"),
                        Users.roles(rs.getArray("roles")),
                        rs.getString("status")))
                .optional()
                .orElse(null);
    }

    boolean isActiveToken(UUID id) {
        return db.sql("select state = 'active' from refresh_tokens where id = :id")
                .param("id", id)
                .query(Boolean.class)
                .optional()
                .orElse(false);
    }

    /** What a fast-path rotation needs to sign the new access token. */
    record Rotated(UUID userId, UUID sessionId, java.util.Set<String> roles) {}

    /**
     * The common refresh in one statement, outside any explicit transaction: if the presented token is the
     * active one of a live session of an active user, and unexpired, lock it, mark it rotated (its successor
     * sealed for the grace window), insert the successor and touch the session. One round trip and one
     * commit instead of a transaction of three. Empty when anything is not plain (unknown, rotated,
     * revoked, expired, suspended): the caller then decides under a lock, the slow way. A concurrent
     * rotation of the same token waits on the row lock and then finds it no longer active, so it too
     * takes the slow way and gets the grace-window answer.
     */
    java.util.Optional<Rotated> rotateActive(
            byte[] presentedHash,
            Instant now,
            UUID successorId,
            byte[] successorSealed,
            byte[] successorHash,
            Instant successorIdleExpiry,
            @Nullable String ip) {
        return db.sql("""
                with current_token as (
                    select rt.id, rt.session_id, s.user_id, s.expires_at as session_expires_at, u.roles
                    from refresh_tokens rt
                    join sessions s on s.id = rt.session_id
                    join users u on u.id = s.user_id
                    where rt.token_hash = :hash and rt.state = 'active' and rt.expires_at > :now
                      and s.revoked_at is null and s.expires_at > :now and u.status = 'active'
                    for update of rt
                ), rotated as (
                    update refresh_tokens set state = 'rotated', rotated_at = :now, successor_id = :successor,
                           successor_sealed = :sealed
                    from current_token c
                    where refresh_tokens.id = c.id
                    returning c.session_id, c.session_expires_at
                ), touched as (
                    update sessions set last_seen_at = :now, ip = coalesce(:ip, ip)
                    where id = (select session_id from rotated)
                ), successor as (
                    insert into refresh_tokens (id, session_id, token_hash, state, issued_at, expires_at)
                    select :successor, session_id, :successorHash, 'active', :now, least(:idleExpiry, session_expires_at)
                    from rotated
                )
                select user_id, session_id, roles from current_token
                """)
                .param("hash", presentedHash)
                .param("now", utc(now))
                .param("successor", successorId)
                .param("sealed", successorSealed)
                .param("successorHash", successorHash)
                .param("idleExpiry", utc(successorIdleExpiry))
                .param("ip", ip)
                .query((rs, n) -> new Rotated(
                        rs.getObject("user_id", UUID.class),
                        rs.getObject("session_id", UUID.class),
                        Users.roles(rs.getArray("roles"))))
                .optional();
    }

    /**
     * Rotates a locked active token in one round trip: marks it rotated (keeping its successor sealed for
     * the grace window), inserts the successor as the family's active token and touches the session.
     * The insert reads the update's output, so the update runs first and the partial unique index
     * (one active token per family) never sees two active rows; the successor foreign key is deferred.
     */
    void rotate(
            UUID id,
            Instant at,
            UUID successorId,
            byte[] successorSealed,
            byte[] successorHash,
            Instant successorExpiresAt,
            @Nullable String ip) {
        int inserted = db.sql("""
                with rotated as (
                    update refresh_tokens set state = 'rotated', rotated_at = :at, successor_id = :successor,
                           successor_sealed = :sealed
                    where id = :id and state = 'active'
                    returning session_id
                ), touched as (
                    update sessions set last_seen_at = :at, ip = coalesce(:ip, ip)
                    where id = (select session_id from rotated)
                )
                insert into refresh_tokens (id, session_id, token_hash, state, issued_at, expires_at)
                select :successor, session_id, :hash, 'active', :at, :expires from rotated
                """)
                .param("id", id)
                .param("at", utc(at))
                .param("successor", successorId)
                .param("sealed", successorSealed)
                .param("hash", successorHash)
                .param("expires", utc(successorExpiresAt))
                .param("ip", ip)
                .update();
        if (inserted != 1) throw new IllegalStateException("refresh token " + id + " was not active under its lock");
    }

    /**
     * When a live session of the user last proved who they are: its last step-up, else the sign-in that
     * opened it (sessions are opened only by a password or MFA sign-in). Null if the session is not live.
     */
    @Nullable
    Instant provenAt(UUID sessionId, UUID userId, Instant now) {
        return db.sql("""
                select coalesce(authenticated_at, created_at) from sessions
                where id = :id and user_id = :user and revoked_at is null and expires_at > :now
                """)
                .param("id", sessionId)
                .param("user", userId)
                .param("now", utc(now))
                .query((rs, n) -> instant(rs, 1))
                .optional()
                .orElse(null);
    }

    /** Records a successful step-up and forgets earlier failures. */
    void markProven(UUID sessionId, Instant at) {
        db.sql("update sessions set authenticated_at = :at, step_up_failures = 0 where id = :id")
                .param("id", sessionId)
                .param("at", utc(at))
                .update();
    }

    /** Counts a wrong step-up proof; returns the failures in a row, the new one included. */
    int recordStepUpFailure(UUID sessionId) {
        return db.sql(
                        "update sessions set step_up_failures = step_up_failures + 1 where id = :id returning step_up_failures")
                .param("id", sessionId)
                .query(Integer.class)
                .optional()
                .orElse(0);
    }

    /** Ends a session and its whole refresh-token family. Returns false if it was already ended. */
    boolean revoke(UUID sessionId, Instant at, String reason) {
        live.forgetSession(sessionId);
        int changed = db.sql("""
                update sessions set revoked_at = :at, revoke_reason = :reason
                where id = :id and revoked_at is null
                """)
                .param("id", sessionId)
                .param("at", utc(at))
                .param("reason", reason)
                .update();
        db.sql("update refresh_tokens set state = 'revoked' where session_id = :id and state = 'active'")
                .param("id", sessionId)
                .update();
        return changed > 0;
    }

    /** Ends every live session of a user except {@code keep} (may be null to end all). */
    int revokeAll(UUID userId, @Nullable UUID keep, Instant at, String reason) {
        List<UUID> ids = db.sql("""
                select id from sessions where user_id = :user and revoked_at is null
                and (cast(:keep as uuid) is null or id <> cast(:keep as uuid))
                """)
                .param("user", userId)
                .param("keep", keep)
                .query(UUID.class)
                .list();
        ids.forEach(id -> revoke(id, at, reason));
        return ids.size();
    }

    List<Session> liveOf(UUID userId, Instant now) {
        return db.sql("""
                select * from sessions where user_id = :user and revoked_at is null and expires_at > :now
                order by last_seen_at desc
                """)
                .param("user", userId)
                .param("now", utc(now))
                .query((rs, n) -> new Session(
                        rs.getObject("id", UUID.class),
                        rs.getObject("user_id", UUID.class),
                        rs.getString("user_agent"),
                        rs.getString("ip"),
                        instant(rs, "created_at"),
                        instant(rs, "last_seen_at"),
                        instant(rs, "expires_at"),
                        nullableInstant(rs, "revoked_at"),
                        rs.getObject("impersonator_id", UUID.class)))
                .list();
    }

    boolean belongsTo(UUID sessionId, UUID userId) {
        return db.sql("select exists (select 1 from sessions where id = :id and user_id = :user)")
                .param("id", sessionId)
                .param("user", userId)
                .query(Boolean.class)
                .single();
    }
}
