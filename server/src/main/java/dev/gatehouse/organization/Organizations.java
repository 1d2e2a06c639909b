package dev.gatehouse.organization;

import static dev.gatehouse.platform.Timestamps.instant;
import static dev.gatehouse.platform.Timestamps.utc;

import dev.gatehouse.platform.Keyset;
import dev.gatehouse.platform.Page;
import dev.gatehouse.platform.PageCursor;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The organizations table; deleted organizations are invisible to every method but {@link #softDelete}. */
@Repository
class Organizations {

    /** An organization together with one user's membership of it, for that user's list. */
    record Joined(Org org, OrgRole role, Instant joinedAt) {}

    private static final Keyset<Joined> BY_JOINING = Keyset.oldestFirst(
            "m.created_at",
            "m.org_id",
            (rs, row) -> new Joined(map(rs, row), Rows.role(rs, "role"), instant(rs, "joined_at")),
            j -> new PageCursor(j.joinedAt(), j.org().id()));

    private final JdbcClient db;

    Organizations(JdbcClient db) {
        this.db = db;
    }

    void insert(Org org) {
        db.sql("""
                insert into organizations (id, name, personal, created_by, created_at, updated_at)
                values (:id, :name, :personal, :createdBy, :created, :updated)
                """)
                .param("id", org.id())
                .param("name", org.name())
                .param("personal", org.personal())
                .param("createdBy", org.createdBy())
                .param("created", utc(org.createdAt()))
                .param("updated", utc(org.updatedAt()))
                .update();
    }

    Optional<Org> active(UUID id) {
        return db.sql("select * from organizations where id = :id and deleted_at is null")
                .param("id", id)
                .query(Organizations::map)
                .optional();
    }

    /**
     * The organization, its row locked until the transaction ends. Every change to an organization's
     * members or invitations takes this lock first, so such changes are serialized per organization and
     * their checks (last owner, seats) read a state nobody else is changing.
     */
    Optional<Org> lockActive(UUID id) {
        return db.sql("select * from organizations where id = :id and deleted_at is null for update")
                .param("id", id)
                .query(Organizations::map)
                .optional();
    }

    /** The user's personal organization, its row locked; empty when it is deleted already. */
    Optional<Org> lockPersonalOf(UUID userId) {
        return db.sql("select * from organizations where created_by = :user and personal and deleted_at is null"
                        + " for update")
                .param("user", userId)
                .query(Organizations::map)
                .optional();
    }

    void rename(UUID id, String name, Instant now) {
        db.sql("update organizations set name = :name, updated_at = :now where id = :id")
                .param("id", id)
                .param("name", name)
                .param("now", utc(now))
                .update();
    }

    void softDelete(UUID id, Instant now) {
        db.sql("update organizations set deleted_at = :now, updated_at = :now where id = :id and deleted_at is null")
                .param("id", id)
                .param("now", utc(now))
                .update();
    }

    /** A page of the user's organizations, in the order they joined them. */
    Page<Joined> pageOf(UUID userId, @Nullable PageCursor after, int limit) {
        return BY_JOINING.fetch(after, limit, keyset -> db.sql("""
                                select o.*, m.role, m.created_at as joined_at
                                from org_members m join organizations o on o.id = m.org_id
                                where m.user_id = :user and o.deleted_at is null
                                """ + keyset).param("user", userId));
    }

    static Org map(ResultSet rs, int row) throws SQLException {
        return new Org(
                rs.getObject("id", UUID.class),
                rs.getString("name"),
                rs.getBoolean("personal"),
                rs.getObject("created_by", UUID.class),
                instant(rs, "created_at"),
                instant(rs, "updated_at"));
    }
}
