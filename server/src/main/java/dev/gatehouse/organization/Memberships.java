package dev.gatehouse.organization;

import static dev.gatehouse.platform.Timestamps.instant;
import static dev.gatehouse.platform.Timestamps.utc;

import dev.gatehouse.platform.Keyset;
import dev.gatehouse.platform.Page;
import dev.gatehouse.platform.PageCursor;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The org_members table. */
@Repository
class Memberships {

    private static final Keyset<Member> BY_JOINING = Keyset.oldestFirst(
            "created_at", "user_id", Memberships::map, m -> new PageCursor(m.joinedAt(), m.userId()));

    private final JdbcClient db;

    Memberships(JdbcClient db) {
        this.db = db;
    }

    void insert(Member m) {
        db.sql("""
                insert into org_members (org_id, user_id, role, created_at, updated_at)
                values (:org, :user, :role, :at, :at)
                """)
                .param("org", m.orgId())
                .param("user", m.userId())
                .param("role", m.role().wire())
                .param("at", utc(m.joinedAt()))
                .update();
    }

    Optional<Member> find(UUID orgId, UUID userId) {
        return db.sql("select * from org_members where org_id = :org and user_id = :user")
                .param("org", orgId)
                .param("user", userId)
                .query(Memberships::map)
                .optional();
    }

    /** The organizations, not deleted, the user is a member of. */
    List<UUID> activeOrganizationsOf(UUID userId) {
        return db.sql("""
                select m.org_id from org_members m join organizations o on o.id = m.org_id
                where m.user_id = :user and o.deleted_at is null
                """).param("user", userId).query(UUID.class).list();
    }

    /** The user's role in an organization that is not deleted. */
    Optional<OrgRole> activeRole(UUID orgId, UUID userId) {
        return db.sql("""
                select m.role from org_members m join organizations o on o.id = m.org_id
                where m.org_id = :org and m.user_id = :user and o.deleted_at is null
                """)
                .param("org", orgId)
                .param("user", userId)
                .query((rs, row) -> Rows.role(rs, "role"))
                .optional();
    }

    /**
     * {@link #activeRole}, with the organization's row held {@code FOR SHARE} until the transaction ends (see
     * {@link OrganizationDirectory#hold}). A non-member holds nothing: they may not create anything in it anyway.
     */
    Optional<OrgRole> activeRoleHoldingOrg(UUID orgId, UUID userId) {
        return db.sql("""
                select m.role from organizations o join org_members m on m.org_id = o.id
                where o.id = :org and m.user_id = :user and o.deleted_at is null
                for share of o
                """)
                .param("org", orgId)
                .param("user", userId)
                .query((rs, row) -> Rows.role(rs, "role"))
                .optional();
    }

    /** A page of members, in the order they joined. */
    Page<Member> page(UUID orgId, @Nullable PageCursor after, int limit) {
        return BY_JOINING.fetch(
                after,
                limit,
                keyset -> db.sql("select * from org_members where org_id = :org" + keyset)
                        .param("org", orgId));
    }

    /** The members with one of the roles in an organization that is not deleted, in the order they joined. */
    List<UUID> withRole(UUID orgId, Set<OrgRole> roles) {
        if (roles.isEmpty()) return List.of();
        return db.sql("""
                select m.user_id from org_members m join organizations o on o.id = m.org_id
                where m.org_id = :org and o.deleted_at is null and m.role in (:roles)
                order by m.created_at, m.user_id
                """)
                .param("org", orgId)
                .param("roles", roles.stream().map(OrgRole::wire).toList())
                .query(UUID.class)
                .list();
    }

    int count(UUID orgId) {
        return db.sql("select count(*) from org_members where org_id = :org")
                .param("org", orgId)
                .query(Integer.class)
                .single();
    }

    int owners(UUID orgId) {
        return db.sql("select count(*) from org_members where org_id = :org and role = :owner")
                .param("org", orgId)
                .param("owner", OrgRole.OWNER.wire())
                .query(Integer.class)
                .single();
    }

    void changeRole(UUID orgId, UUID userId, OrgRole role, Instant now) {
        db.sql("update org_members set role = :role, updated_at = :now where org_id = :org and user_id = :user")
                .param("org", orgId)
                .param("user", userId)
                .param("role", role.wire())
                .param("now", utc(now))
                .update();
    }

    void delete(UUID orgId, UUID userId) {
        db.sql("delete from org_members where org_id = :org and user_id = :user")
                .param("org", orgId)
                .param("user", userId)
                .update();
    }

    static Member map(ResultSet rs, int row) throws SQLException {
        return new Member(
                rs.getObject("org_id", UUID.class),
                rs.getObject("user_id", UUID.class),
                Rows.role(rs, "role"),
                instant(rs, "created_at"));
    }
}
