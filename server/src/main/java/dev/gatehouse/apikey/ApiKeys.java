package dev.gatehouse.apikey;

import static dev.gatehouse.platform.Timestamps.instant;
import static dev.gatehouse.platform.Timestamps.nullableInstant;
import static dev.gatehouse.platform.Timestamps.utc;

import dev.gatehouse.apikey.ApiKey.Kind;
import dev.gatehouse.platform.AdvisoryLock;
import dev.gatehouse.platform.Keyset;
import dev.gatehouse.platform.Page;
import dev.gatehouse.platform.PageCursor;
import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The api_keys table. Secrets are looked up by their SHA-256 only; every other read is by id. */
@Repository
class ApiKeys {

    private static final Keyset<ApiKey> NEWEST_FIRST =
            Keyset.newestFirst("created_at", "id", ApiKeys::map, k -> new PageCursor(k.createdAt(), k.id()));

    private final JdbcClient db;

    ApiKeys(JdbcClient db) {
        this.db = db;
    }

    void insert(ApiKey k, KeyHash secretHash) {
        db.sql("""
                insert into api_keys (id, kind, org_id, name, prefix, secret_hash, scopes, expires_at, created_by,
                                      created_at)
                values (:id, :kind, :org, :name, :prefix, :hash, :scopes, :expires, :by, :created)
                """)
                .param("id", k.id())
                .param("kind", k.kind().wire())
                .param("org", k.orgId())
                .param("name", k.name())
                .param("prefix", k.prefix())
                .param("hash", secretHash.bytes())
                .param("scopes", k.scopes().toArray(String[]::new))
                .param("expires", utc(k.expiresAt()))
                .param("by", k.createdBy())
                .param("created", utc(k.createdAt()))
                .update();
    }

    /** An organization's key; with {@code lock}, its row is locked for the rest of the transaction. */
    Optional<ApiKey> inOrg(UUID orgId, UUID id, boolean lock) {
        return db.sql("select * from api_keys where kind = 'org' and org_id = :org and id = :id"
                        + (lock ? " for update" : ""))
                .param("org", orgId)
                .param("id", id)
                .query(ApiKeys::map)
                .optional();
    }

    Optional<ApiKey> service(UUID id, boolean lock) {
        return db.sql("select * from api_keys where kind = 'service' and id = :id" + (lock ? " for update" : ""))
                .param("id", id)
                .query(ApiKeys::map)
                .optional();
    }

    /** A page of an organization's keys, newest first, revoked and expired ones included. */
    Page<ApiKey> orgPage(UUID orgId, @Nullable PageCursor after, int limit) {
        return NEWEST_FIRST.fetch(
                after,
                limit,
                keyset -> db.sql("select * from api_keys where kind = 'org' and org_id = :org" + keyset)
                        .param("org", orgId));
    }

    Page<ApiKey> servicePage(@Nullable PageCursor after, int limit) {
        return NEWEST_FIRST.fetch(
                after, limit, keyset -> db.sql("select * from api_keys where kind = 'service'" + keyset));
    }

    /** Keys of the organization that still verify: not revoked and not expired. */
    int activeInOrg(UUID orgId, Instant now) {
        return db.sql("""
                select count(*) from api_keys
                where kind = 'org' and org_id = :org and revoked_at is null and (expires_at is null or expires_at > :now)
                """)
                .param("org", orgId)
                .param("now", utc(now))
                .query(Integer.class)
                .single();
    }

    /**
     * Serializes key creation in one organization for the rest of the transaction, so the count of active
     * keys and the insert that follows it cannot interleave with another creation (the cap stays exact).
     * The organization's row belongs to another module; a transaction-scoped advisory lock needs no row.
     */
    void lockOrgForCreation(UUID orgId) {
        AdvisoryLock.API_KEY_CREATION.acquire(db, orgId);
    }

    void revoke(UUID id, UUID by, Instant now) {
        db.sql("update api_keys set revoked_at = :now, revoked_by = :by where id = :id and revoked_at is null")
                .param("id", id)
                .param("by", by)
                .param("now", utc(now))
                .update();
    }

    /** Revokes every unrevoked key of the organization; returns them as they were. */
    List<ApiKey> revokeAllInOrg(UUID orgId, UUID by, Instant now) {
        List<ApiKey> open = db.sql(
                        "select * from api_keys where kind = 'org' and org_id = :org and revoked_at is null for update")
                .param("org", orgId)
                .query(ApiKeys::map)
                .list();
        db.sql("update api_keys set revoked_at = :now, revoked_by = :by"
                        + " where kind = 'org' and org_id = :org and revoked_at is null")
                .param("org", orgId)
                .param("by", by)
                .param("now", utc(now))
                .update();
        return open;
    }

    /**
     * Gives a service key a new secret. The current one becomes the previous secret, accepted until
     * {@code previousValidUntil}; a previous secret from an earlier rotation is dropped.
     */
    void rotate(UUID id, KeyHash newHash, String newPrefix, Instant previousValidUntil) {
        db.sql("""
                update api_keys
                set previous_hash = secret_hash, previous_valid_until = :until, secret_hash = :hash, prefix = :prefix
                where id = :id and kind = 'service'
                """)
                .param("id", id)
                .param("hash", newHash.bytes())
                .param("prefix", newPrefix)
                .param("until", utc(previousValidUntil))
                .update();
    }

    /** What verification needs about the key whose current or previous secret has this hash. */
    record Match(
            UUID id,
            Kind kind,
            @Nullable UUID orgId,
            List<String> scopes,
            @Nullable Instant expiresAt,
            @Nullable Instant revokedAt,
            @Nullable Instant previousValidUntil,
            boolean current,
            Instant changedAt) {}

    Optional<Match> byHash(KeyHash hash) {
        return db.sql("""
                select id, kind, org_id, scopes, expires_at, revoked_at, previous_valid_until,
                       secret_hash = :hash as current, changed_at
                from api_keys where secret_hash = :hash or previous_hash = :hash
                """)
                .param("hash", hash.bytes())
                .query((rs, n) -> new Match(
                        rs.getObject("id", UUID.class),
                        Kind.of(rs.getString("kind")),
                        rs.getObject("org_id", UUID.class),
                        scopes(rs),
                        nullableInstant(rs, "expires_at"),
                        nullableInstant(rs, "revoked_at"),
                        nullableInstant(rs, "previous_valid_until"),
                        rs.getBoolean("current"),
                        instant(rs, "changed_at")))
                .optional();
    }

    /** One read of the change feed: the database's time at the read, and the keys changed after {@code since}. */
    record Changes(Instant polledAt, Map<UUID, Instant> changed) {}

    Changes changedSince(Instant since) {
        Instant[] polledAt = new Instant[1];
        Map<UUID, Instant> changed = new java.util.HashMap<>();
        // One round trip: the left join yields the single tick row even when nothing changed, and now() is
        // the statement's start, which is no later than its snapshot (so no change falls between the two).
        db.sql("""
                select now() as polled_at, k.id, k.changed_at
                from (values (1)) as tick (one) left join api_keys k on k.changed_at > :since
                """).param("since", utc(since)).query(rs -> {
            polledAt[0] = nullableInstant(rs, "polled_at");
            UUID id = rs.getObject("id", UUID.class);
            if (id != null) changed.put(id, nullableInstant(rs, "changed_at"));
        });
        if (polledAt[0] == null) throw new IllegalStateException("the change feed query returned no row");
        return new Changes(polledAt[0], changed);
    }

    /** The database's clock, where the change feed starts. */
    Instant databaseNow() {
        return db.sql("select now()").query((rs, n) -> instant(rs, 1)).single();
    }

    /**
     * Moves last-used times forward in one statement (never back: another node may have written a later one).
     * Does not touch {@code changed_at} (see the trigger): caches need not hear about it.
     */
    int touchLastUsed(UUID[] ids, Instant[] ats) {
        String[] times = Arrays.stream(ats).map(Instant::toString).toArray(String[]::new);
        String[] keys = Arrays.stream(ids).map(UUID::toString).toArray(String[]::new);
        return db.sql("""
                update api_keys k set last_used_at = u.at
                from unnest(cast(:ids as uuid[]), cast(:ats as timestamptz[])) as u (id, at)
                where k.id = u.id and (k.last_used_at is null or k.last_used_at < u.at)
                """).param("ids", keys).param("ats", times).update();
    }

    private static ApiKey map(ResultSet rs, int n) throws SQLException {
        return new ApiKey(
                rs.getObject("id", UUID.class),
                Kind.of(rs.getString("kind")),
                rs.getObject("org_id", UUID.class),
                rs.getString("name"),
                rs.getString("prefix"),
                scopes(rs),
                nullableInstant(rs, "expires_at"),
                rs.getObject("created_by", UUID.class),
                instant(rs, "created_at"),
                nullableInstant(rs, "last_used_at"),
                nullableInstant(rs, "revoked_at"),
                rs.getObject("revoked_by", UUID.class),
                nullableInstant(rs, "previous_valid_until"));
    }

    private static List<String> scopes(ResultSet rs) throws SQLException {
        Array array = rs.getArray("scopes");
        try {
            return List.of((String[]) array.getArray());
        } finally {
            array.free();
        }
    }
}
