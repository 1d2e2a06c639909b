package dev.gatehouse.identity;

import static dev.gatehouse.platform.Timestamps.instant;
import static dev.gatehouse.platform.Timestamps.nullableInstant;
import static dev.gatehouse.platform.Timestamps.utc;

import dev.gatehouse.platform.Keyset;
import dev.gatehouse.platform.Page;
import dev.gatehouse.platform.PageCursor;
import dev.gatehouse.platform.PlatformRole;
import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The users table. */
@Repository
class Users {

    private static final Keyset<User> NEWEST_FIRST =
            Keyset.newestFirst("created_at", "id", Users::map, u -> new PageCursor(u.createdAt(), u.id()));

    private final JdbcClient db;
    private final LiveSessions live;

    Users(JdbcClient db, LiveSessions live) {
        this.db = db;
        this.live = live;
    }

    void insert(User u) {
        db.sql("""
                insert into users (id, email, email_verified_at, password_hash, name, locale, roles, status, created_at, updated_at)
                values (:id, :email, :verified, :hash, :name, :locale, :roles::text[], :status, :created, :updated)
                """)
                .param("id", u.id())
                .param("email", u.email())
                .param("verified", utc(u.emailVerifiedAt()))
                .param("hash", u.passwordHash())
                .param("name", u.name())
                .param("locale", u.locale())
                .param("roles", rolesArray(u.roles()))
                .param("status", u.status().wire())
                .param("created", utc(u.createdAt()))
                .param("updated", utc(u.updatedAt()))
                .update();
    }

    Optional<User> byEmail(String email) {
        return db.sql("select * from users where email = :email")
                .param("email", email)
                .query(Users::map)
                .optional();
    }

    /** The account a sign-in names (if any), with the throttle's standings for its keys. */
    record SignInView(@Nullable User user, List<SignInThrottle.Standing> standings) {}

    /**
     * {@link #byEmail} and the throttle's standings in one statement: a password sign-in reads both before
     * its hash, and on a machine whose cores are busy hashing every round trip to PostgreSQL costs
     * hashing time (two wake-ups, two processes' cold caches). Each standing row repeats the user's
     * columns; the user's columns are null when no account has the email.
     */
    SignInView forSignIn(String email, List<String> throttleKeys) {
        record Row(@Nullable User user, SignInThrottle.@Nullable Standing standing) {}
        List<Row> rows = db.sql("""
                        select u.*, t.key as throttle_key, t.failures as throttle_failures,
                               t.locked_until as throttle_locked_until
                        from (select) as one
                        left join users u on u.email = :email
                        left join auth_throttle t on t.key = any(:keys)
                        """)
                .param("email", email)
                .param("keys", throttleKeys.toArray(String[]::new))
                .query((rs, n) -> new Row(
                        rs.getObject("id") == null ? null : map(rs, n),
                        rs.getString("throttle_key") == null
                                ? null
                                : new SignInThrottle.Standing(
                                        rs.getString("throttle_key"),
                                        rs.getInt("throttle_failures"),
                                        nullableInstant(rs, "throttle_locked_until"))))
                .list();
        return new SignInView(
                rows.getFirst().user(),
                rows.stream().map(Row::standing).filter(Objects::nonNull).toList());
    }

    Optional<User> byId(UUID id) {
        return db.sql("select * from users where id = :id")
                .param("id", id)
                .query(Users::map)
                .optional();
    }

    boolean anyWithRole(PlatformRole role) {
        return db.sql("select exists (select 1 from users where :role = any(roles))")
                .param("role", role.wire())
                .query(Boolean.class)
                .single();
    }

    void markVerified(UUID id, Instant at) {
        live.forgetUser(id);
        db.sql(
                        "update users set email_verified_at = :at, updated_at = :at where id = :id and email_verified_at is null")
                .param("id", id)
                .param("at", utc(at))
                .update();
    }

    void updatePasswordHash(UUID id, String hash, Instant at) {
        live.forgetUser(id);
        db.sql("update users set password_hash = :hash, updated_at = :at where id = :id")
                .param("id", id)
                .param("hash", hash)
                .param("at", utc(at))
                .update();
    }

    void updateProfile(UUID id, String name, String locale, Instant at) {
        live.forgetUser(id);
        db.sql("update users set name = :name, locale = :locale, updated_at = :at where id = :id")
                .param("id", id)
                .param("name", name)
                .param("locale", locale)
                .param("at", utc(at))
                .update();
    }

    /** Writes the status a transition of the (locked) user gave it. */
    void updateStatus(User changed) {
        live.forgetUser(changed.id());
        db.sql("update users set status = :status, updated_at = :at where id = :id")
                .param("id", changed.id())
                .param("status", changed.status().wire())
                .param("at", utc(changed.updatedAt()))
                .update();
    }

    /** Writes a deletion: the status and the freed email. */
    void updateDeleted(User deleted) {
        live.forgetUser(deleted.id());
        db.sql("update users set status = :status, email = :email, updated_at = :at where id = :id")
                .param("id", deleted.id())
                .param("status", deleted.status().wire())
                .param("email", deleted.email())
                .param("at", utc(deleted.updatedAt()))
                .update();
    }

    /** Writes the user's roles. */
    void updateRoles(User changed) {
        live.forgetUser(changed.id());
        db.sql("update users set roles = :roles::text[], updated_at = :at where id = :id")
                .param("id", changed.id())
                .param("roles", rolesArray(changed.roles()))
                .param("at", utc(changed.updatedAt()))
                .update();
    }

    private static String rolesArray(Set<PlatformRole> roles) {
        return roles.stream().map(PlatformRole::wire).collect(Collectors.joining(",", "{", "}"));
    }

    /** Whether two-factor sign-in is on; read under the caller's lock on the row when it holds one. */
    boolean mfaEnabled(UUID id) {
        return db.sql("select mfa_enabled_at is not null from users where id = :id")
                .param("id", id)
                .query(Boolean.class)
                .single();
    }

    /** Turns two-factor sign-in on (a time) or off (null). */
    void setMfaEnabledAt(UUID id, @Nullable Instant enabledAt, Instant at) {
        live.forgetUser(id);
        db.sql("update users set mfa_enabled_at = :enabled, updated_at = :at where id = :id")
                .param("id", id)
                .param("enabled", utc(enabledAt))
                .param("at", utc(at))
                .update();
    }

    /**
     * Locks the user's row until the transaction ends: concurrent changes to one user (admin actions,
     * sign-in factors) apply one after another.
     */
    Optional<User> lock(UUID id) {
        return db.sql("select * from users where id = :id for update")
                .param("id", id)
                .query(Users::map)
                .optional();
    }

    /**
     * A page of users, newest first, keyset-paginated on (created_at, id). {@code emailPrefix}, {@code status}
     * and {@code role} narrow it when given.
     */
    Page<User> search(
            @Nullable String emailPrefix,
            @Nullable UserStatus status,
            @Nullable PlatformRole role,
            @Nullable PageCursor after,
            int limit) {
        return NEWEST_FIRST.fetch(
                after,
                limit,
                keyset -> db.sql("""
                                select * from users
                                where (cast(:prefix as text) is null or email like cast(:prefix as text) || '%')
                                  and (cast(:status as text) is null or status = cast(:status as text))
                                  and (cast(:role as text) is null or cast(:role as text) = any(roles))
                                """ + keyset)
                        .param("prefix", emailPrefix == null ? null : escapeLike(emailPrefix))
                        .param("status", status == null ? null : status.wire())
                        .param("role", role == null ? null : role.wire()));
    }

    private static String escapeLike(String s) {
        return s.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
    }

    /** Sets a new, verified address (the emailed link proved it); the unique index refuses a taken one. */
    void changeEmail(UUID id, String email, Instant at) {
        live.forgetUser(id);
        db.sql("update users set email = :email, email_verified_at = :at, updated_at = :at where id = :id")
                .param("id", id)
                .param("email", email)
                .param("at", utc(at))
                .update();
    }

    static User map(ResultSet rs, int row) throws SQLException {
        return new User(
                rs.getObject("id", UUID.class),
                rs.getString("email"),
                nullableInstant(rs, "email_verified_at"),
                rs.getString("password_hash"),
                rs.getString("name"),
                rs.getString("locale"),
                roles(rs.getArray("roles")),
                UserStatus.of(rs.getString("status")),
                instant(rs, "created_at"),
                instant(rs, "updated_at"),
                nullableInstant(rs, "mfa_enabled_at"));
    }

    static Set<PlatformRole> roles(Array array) throws SQLException {
        return User.roles(
                Arrays.stream((String[]) array.getArray()).map(PlatformRole::of).toList());
    }
}
