package dev.gatehouse.identity;

import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The users table. */
@Repository
class Users {

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
                .param("verified", ts(u.emailVerifiedAt()))
                .param("hash", u.passwordHash())
                .param("name", u.name())
                .param("locale", u.locale())
                .param("roles", "{" + String.join(",", u.roles()) + "}")
                .param("status", u.status())
                .param("created", ts(u.createdAt()))
                .param("updated", ts(u.updatedAt()))
                .update();
    }

    Optional<User> byEmail(String email) {
        return db.sql("select * from users where email = :email")
                .param("email", email)
                .query(Users::map)
                .optional();
    }

    Optional<User> byId(UUID id) {
        return db.sql("select * from users where id = :id")
                .param("id", id)
                .query(Users::map)
                .optional();
    }

    /** The current password hash, locking the user's row until the transaction ends. */
    String lockPasswordHash(UUID id) {
        return db.sql("select password_hash from users where id = :id for update")
                .param("id", id)
                .query(String.class)
                .single();
    }

    /** Locks the user's row until the transaction ends: changes to one user's sign-in factors queue here. */
    void lock(UUID id) {
        db.sql("select 1 from users where id = :id for update")
                .param("id", id)
                .query()
                .singleRow();
    }

    boolean anyWithRole(String role) {
        return db.sql("select exists (select 1 from users where :role = any(roles))")
                .param("role", role)
                .query(Boolean.class)
                .single();
    }

    void markVerified(UUID id, Instant at) {
        live.forgetUser(id);
        db.sql(
                        "update users set email_verified_at = :at, updated_at = :at where id = :id and email_verified_at is null")
                .param("id", id)
                .param("at", ts(at))
                .update();
    }

    void updatePasswordHash(UUID id, String hash, Instant at) {
        live.forgetUser(id);
        db.sql("update users set password_hash = :hash, updated_at = :at where id = :id")
                .param("id", id)
                .param("hash", hash)
                .param("at", ts(at))
                .update();
    }

    void updateProfile(UUID id, String name, String locale, Instant at) {
        live.forgetUser(id);
        db.sql("update users set name = :name, locale = :locale, updated_at = :at where id = :id")
                .param("id", id)
                .param("name", name)
                .param("locale", locale)
                .param("at", ts(at))
                .update();
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
                .param("enabled", ts(enabledAt))
                .param("at", ts(at))
                .update();
    }

    /** Sets a new, verified address (the emailed link proved it); the unique index refuses a taken one. */
    void changeEmail(UUID id, String email, Instant at) {
        live.forgetUser(id);
        db.sql("update users set email = :email, email_verified_at = :at, updated_at = :at where id = :id")
                .param("id", id)
                .param("email", email)
                .param("at", ts(at))
                .update();
    }

    static @Nullable Timestamp ts(@Nullable Instant instant) {
        return instant == null ? null : Timestamp.from(instant);
    }

    static @Nullable Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp t = rs.getTimestamp(column);
        return t == null ? null : t.toInstant();
    }

    static User map(ResultSet rs, int row) throws SQLException {
        return new User(
                rs.getObject("id", UUID.class),
                rs.getString("email"),
                instant(rs, "email_verified_at"),
                rs.getString("password_hash"),
                rs.getString("name"),
                rs.getString("locale"),
                roles(rs.getArray("roles")),
                rs.getString("status"),
                rs.getTimestamp("created_at").toInstant(),
                rs.getTimestamp("updated_at").toInstant(),
                instant(rs, "mfa_enabled_at"));
    }

    static Set<String> roles(Array array) throws SQLException {
        return new LinkedHashSet<>(List.of((String[]) array.getArray()));
    }
}
