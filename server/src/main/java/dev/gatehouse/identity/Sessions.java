package dev.gatehouse.identity;

import static dev.gatehouse.platform.Timestamps.instant;
import static dev.gatehouse.platform.Timestamps.nullableInstant;
import static dev.gatehouse.platform.Timestamps.utc;

import dev.gatehouse.platform.PlatformRole;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
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
            RefreshTokenState state,
            Instant expiresAt,
            @Nullable Instant rotatedAt,
            @Nullable UUID successorId,
            byte @Nullable [] successorSealed,
            UUID userId,
            @Nullable Instant sessionRevokedAt,
            Instant sessionExpiresAt,
            Set<PlatformRole> roles,
            UserStatus userStatus) {}

    private final JdbcClient db;
    private final LiveSessions live;

    Sessions(JdbcClient db, LiveSessions live) {
        this.db = db;
        this.live = live;
    }

    /*
     * The states the statements below write and match, built from the enums (never typed as literals):
     * a token is issued active, rotation and revocation move the active one (the transitions are
     * RefreshTokenState's, so the SQL cannot make one the type refuses), and only an active user's
     * session refreshes. They go into the SQL as constants rather than bind parameters so the planner
     * still sees the partial index on the active token of a family.
     */
    private static final String ISSUED = literal(RefreshTokenState.ACTIVE.wire());
    private static final String ACTIVE = literal(RefreshTokenState.ACTIVE.wire());
    private static final String ROTATED =
            literal(RefreshTokenState.ACTIVE.rotate().wire());
    private static final String REVOKED =
            literal(RefreshTokenState.ACTIVE.revoke().wire());
    private static final String USER_ACTIVE = literal(UserStatus.ACTIVE.wire());

    /** A state's wire name as an SQL string literal; wire names are lower-case words by construction. */
    static String literal(String wire) {
        if (!wire.matches("[a-z_]+")) throw new IllegalArgumentException("not a wire name: " + wire);
        return "'" + wire + "'";
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
        bind(db.sql(INSERT_SESSION_WITH_TOKEN), s)
                .param("tokenId", tokenId)
                .param("tokenHash", tokenHash)
                .param("tokenExpires", utc(tokenExpiresAt))
                .update();
    }

    private static final String INSERT_SESSION_WITH_TOKEN =
            "with session as (" + INSERT_SESSION + """
                    returning id, created_at)
            insert into refresh_tokens (id, session_id, token_hash, state, issued_at, expires_at)
            select :tokenId, session.id, :tokenHash, %s, session.created_at, :tokenExpires from session
            """.formatted(ISSUED);

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
                        RefreshTokenState.of(rs.getString("state")),
                        instant(rs, "expires_at"),
                        nullableInstant(rs, "rotated_at"),
                        rs.getObject("successor_id", UUID.class),
                        rs.getBytes("successor_sealed"),
                        rs.getObject("user_id", UUID.class),
                        nullableInstant(rs, "session_revoked_at"),
                        instant(rs, "session_expires_at"),
                        Users.roles(rs.getArray("roles")),
                        UserStatus.of(rs.getString("status"))))
                .optional()
                .orElse(null);
    }

    boolean isActiveToken(UUID id) {
        return db.sql("select state from refresh_tokens where id = :id")
                .param("id", id)
                .query((rs, n) -> RefreshTokenState.of(rs.getString("state")))
                .optional()
                .filter(RefreshTokenState.ACTIVE::equals)
                .isPresent();
    }

    /** What a rotation needs to sign the new access token. */
    record Rotated(UUID userId, UUID sessionId, Set<PlatformRole> roles) {}

    /**
     * The rotation rule, in one statement and only here: if the presented token is the active one of its
     * family, unexpired, in a live (unrevoked, unexpired) session of an active user, lock it, mark it rotated
     * (its successor sealed for the grace window), insert the successor as the family's active token (idle
     * expiry, capped at the session's end) and touch the session. Empty, changing nothing, when any part of
     * the rule does not hold.
     *
     * <p>A refresh runs it first, outside any explicit transaction: one round trip and one commit for the
     * common case. When it answers empty, {@link SignIn} decides under the token's lock why (reuse, grace
     * window, revoked, expired, suspended), and a token that turns out plain after all is rotated by this same
     * statement inside that transaction. A concurrent rotation of the same token waits on the row lock and
     * then finds it no longer active. The insert reads the update's output, so the update runs first and the
     * partial unique index (one active token per family) never sees two active rows; the successor foreign key
     * is deferred.
     */
    Optional<Rotated> rotateActive(
            byte[] presentedHash,
            Instant now,
            UUID successorId,
            byte[] successorSealed,
            byte[] successorHash,
            Instant successorIdleExpiry,
            @Nullable String ip) {
        return db.sql(ROTATE_ACTIVE)
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

    private static final String ROTATE_ACTIVE = """
            with current_token as (
                select rt.id, rt.session_id, s.user_id, s.expires_at as session_expires_at, u.roles
                from refresh_tokens rt
                join sessions s on s.id = rt.session_id
                join users u on u.id = s.user_id
                where rt.token_hash = :hash and rt.state = %1$s and rt.expires_at > :now
                  and s.revoked_at is null and s.expires_at > :now and u.status = %3$s
                for update of rt
            ), rotated as (
                update refresh_tokens set state = %2$s, rotated_at = :now, successor_id = :successor,
                       successor_sealed = :sealed
                from current_token c
                where refresh_tokens.id = c.id
                returning c.session_id, c.session_expires_at
            ), touched as (
                update sessions set last_seen_at = :now, ip = coalesce(:ip, ip)
                where id = (select session_id from rotated)
            ), successor as (
                insert into refresh_tokens (id, session_id, token_hash, state, issued_at, expires_at)
                select :successor, session_id, :successorHash, %4$s, :now, least(:idleExpiry, session_expires_at)
                from rotated
            )
            select user_id, session_id, roles from current_token
            """.formatted(ACTIVE, ROTATED, USER_ACTIVE, ISSUED);

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

    /**
     * Ends a live session and its whole refresh-token family (its active token is revoked). A session ends
     * once: returns false, changing nothing, if it had already ended.
     */
    boolean revoke(UUID sessionId, Instant at, RevokeReason reason) {
        live.forgetSession(sessionId);
        int changed = db.sql("""
                update sessions set revoked_at = :at, revoke_reason = :reason
                where id = :id and revoked_at is null
                """)
                .param("id", sessionId)
                .param("at", utc(at))
                .param("reason", reason.wire())
                .update();
        db.sql(REVOKE_FAMILY).param("id", sessionId).update();
        return changed > 0;
    }

    private static final String REVOKE_FAMILY =
            "update refresh_tokens set state = %s where session_id = :id and state = %s".formatted(REVOKED, ACTIVE);

    /** Ends every live session of a user except {@code keep} (may be null to end all). */
    int revokeAll(UUID userId, @Nullable UUID keep, Instant at, RevokeReason reason) {
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

    /** The user's own live sessions (not an admin's impersonation ones), oldest first. */
    List<UUID> ownLiveOldestFirst(UUID userId, Instant now) {
        return db.sql("""
                select id from sessions where user_id = :user and revoked_at is null and expires_at > :now
                and impersonator_id is null
                order by created_at, id
                """)
                .param("user", userId)
                .param("now", utc(now))
                .query(UUID.class)
                .list();
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
