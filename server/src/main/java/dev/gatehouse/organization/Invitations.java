package dev.gatehouse.organization;

import static dev.gatehouse.platform.Timestamps.instant;
import static dev.gatehouse.platform.Timestamps.nullableInstant;
import static dev.gatehouse.platform.Timestamps.utc;

import dev.gatehouse.platform.Keyset;
import dev.gatehouse.platform.Page;
import dev.gatehouse.platform.PageCursor;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The org_invitations table; tokens are looked up by their SHA-256 only. */
@Repository
class Invitations {

    private static final Keyset<Invitation> OLDEST_FIRST =
            Keyset.oldestFirst("created_at", "id", Invitations::map, i -> new PageCursor(i.createdAt(), i.id()));

    private final JdbcClient db;

    Invitations(JdbcClient db) {
        this.db = db;
    }

    void insert(Invitation i, byte[] tokenHash) {
        db.sql("""
                insert into org_invitations (id, org_id, email, role, token_hash, invited_by, created_at, expires_at)
                values (:id, :org, :email, :role, :hash, :by, :created, :expires)
                """)
                .param("id", i.id())
                .param("org", i.orgId())
                .param("email", i.email())
                .param("role", i.role().wire())
                .param("hash", tokenHash)
                .param("by", i.invitedBy())
                .param("created", utc(i.createdAt()))
                .param("expires", utc(i.expiresAt()))
                .update();
    }

    Optional<Invitation> byTokenHash(byte[] hash) {
        return db.sql("select * from org_invitations where token_hash = :hash")
                .param("hash", hash)
                .query(Invitations::map)
                .optional();
    }

    Optional<Invitation> inOrg(UUID orgId, UUID id) {
        return db.sql("select * from org_invitations where org_id = :org and id = :id")
                .param("org", orgId)
                .param("id", id)
                .query(Invitations::map)
                .optional();
    }

    /** The invitation to this address that is neither accepted nor revoked, expired or not. */
    Optional<Invitation> openFor(UUID orgId, String email) {
        return db.sql("""
                select * from org_invitations
                where org_id = :org and email = :email and accepted_at is null and revoked_at is null
                """)
                .param("org", orgId)
                .param("email", email)
                .query(Invitations::map)
                .optional();
    }

    /** Open invitations that have not expired: the ones that still hold a seat. */
    int pending(UUID orgId, Instant now) {
        return db.sql("""
                select count(*) from org_invitations
                where org_id = :org and accepted_at is null and revoked_at is null and expires_at > :now
                """)
                .param("org", orgId)
                .param("now", utc(now))
                .query(Integer.class)
                .single();
    }

    /** A page of open invitations (expired ones included, so they can be seen and replaced), oldest first. */
    Page<Invitation> openPage(UUID orgId, @Nullable PageCursor after, int limit) {
        return OLDEST_FIRST.fetch(after, limit, keyset -> db.sql("""
                                select * from org_invitations
                                where org_id = :org and accepted_at is null and revoked_at is null
                                """ + keyset).param("org", orgId));
    }

    void revoke(UUID id, UUID by, Instant now) {
        db.sql("""
                update org_invitations set revoked_at = :now, revoked_by = :by
                where id = :id and accepted_at is null and revoked_at is null
                """).param("id", id).param("by", by).param("now", utc(now)).update();
    }

    /** Revokes every open invitation of the organization; returns them as they were. */
    List<Invitation> revokeAllOpen(UUID orgId, UUID by, Instant now) {
        return db.sql("""
                update org_invitations set revoked_at = :now, revoked_by = :by
                where org_id = :org and accepted_at is null and revoked_at is null
                returning *
                """)
                .param("org", orgId)
                .param("by", by)
                .param("now", utc(now))
                .query(Invitations::map)
                .list();
    }

    void accept(UUID id, UUID by, Instant now) {
        db.sql("update org_invitations set accepted_at = :now, accepted_by = :by where id = :id")
                .param("id", id)
                .param("by", by)
                .param("now", utc(now))
                .update();
    }

    static Invitation map(ResultSet rs, int row) throws SQLException {
        return new Invitation(
                rs.getObject("id", UUID.class),
                rs.getObject("org_id", UUID.class),
                rs.getString("email"),
                Rows.role(rs, "role"),
                rs.getObject("invited_by", UUID.class),
                instant(rs, "created_at"),
                instant(rs, "expires_at"),
                nullableInstant(rs, "accepted_at"),
                nullableInstant(rs, "revoked_at"));
    }
}
