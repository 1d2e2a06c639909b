package dev.gatehouse.platform;

import static dev.gatehouse.platform.Timestamps.instant;
import static dev.gatehouse.platform.Timestamps.utc;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The {@code idempotency_keys} table. Every statement runs on its own (auto-commit), so a claim is
 * visible to concurrent duplicates before the handler starts. Time is passed in, never read here, so
 * expiry can be tested by moving {@code now}.
 */
@Repository
class IdempotencyKeys {

    private final JdbcClient jdbc;

    IdempotencyKeys(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** A stored key; {@code response} is null while the first request is still running. */
    record StoredKey(byte[] fingerprint, @Nullable StoredResponse response, Instant createdAt, Instant expiresAt) {

        boolean inProgress() {
            return response == null;
        }
    }

    /** What the first request answered, replayed byte for byte. */
    record StoredResponse(
            int status,
            @Nullable String contentType,
            @Nullable String location,
            byte[] body) {}

    /**
     * Claims {@code (scope, key)} for one execution. Succeeds when the key is new, when its row has
     * expired (expired rows count as absent), or when its claim was abandoned: still in progress and
     * created before {@code abandonedBefore}, which only happens when the node running it died.
     *
     * @return true when this caller now holds the claim and must run the request
     */
    boolean claim(
            String scope,
            String key,
            byte[] fingerprint,
            UUID claimId,
            Instant now,
            Instant expiresAt,
            Instant abandonedBefore) {
        // ON CONFLICT serialises concurrent claims on the primary key: exactly one inserts (or takes
        // over a dead row); the others see the committed row and update nothing.
        int rows = jdbc.sql("""
                        insert into idempotency_keys
                            (scope, key, fingerprint, claim_id, state, created_at, expires_at)
                        values (:scope, :key, :fingerprint, :claimId, 'in_progress', :now, :expiresAt)
                        on conflict (scope, key) do update
                            set fingerprint = excluded.fingerprint,
                                claim_id = excluded.claim_id,
                                state = 'in_progress',
                                response_status = null,
                                response_content_type = null,
                                response_location = null,
                                response_body = null,
                                created_at = excluded.created_at,
                                expires_at = excluded.expires_at
                            where idempotency_keys.expires_at <= :now
                               or (idempotency_keys.state = 'in_progress'
                                   and idempotency_keys.created_at <= :abandonedBefore)
                        """)
                .param("scope", scope)
                .param("key", key)
                .param("fingerprint", fingerprint)
                .param("claimId", claimId)
                .param("now", utc(now))
                .param("expiresAt", utc(expiresAt))
                .param("abandonedBefore", utc(abandonedBefore))
                .update();
        return rows == 1;
    }

    /** The live row for {@code (scope, key)}; an expired row is reported as absent. */
    Optional<StoredKey> find(String scope, String key, Instant now) {
        return jdbc.sql("""
                        select fingerprint, state, response_status, response_content_type, response_location,
                               response_body, created_at, expires_at
                          from idempotency_keys
                         where scope = :scope and key = :key and expires_at > :now
                        """)
                .param("scope", scope)
                .param("key", key)
                .param("now", utc(now))
                .query(IdempotencyKeys::storedKey)
                .optional();
    }

    /** Records the outcome; a no-op when the claim is no longer ours (taken over after a timeout). */
    boolean complete(String scope, String key, UUID claimId, StoredResponse response) {
        return jdbc.sql("""
                        update idempotency_keys
                           set state = 'completed',
                               response_status = :status,
                               response_content_type = :contentType,
                               response_location = :location,
                               response_body = :body
                         where scope = :scope and key = :key and claim_id = :claimId and state = 'in_progress'
                        """)
                        .param("scope", scope)
                        .param("key", key)
                        .param("claimId", claimId)
                        .param("status", response.status())
                        .param("contentType", response.contentType(), java.sql.Types.VARCHAR)
                        .param("location", response.location(), java.sql.Types.VARCHAR)
                        .param("body", response.body())
                        .update()
                == 1;
    }

    /** Forgets an outcome that must not be replayed, so the client may retry with the same key. */
    void release(String scope, String key, UUID claimId) {
        jdbc.sql("""
                        delete from idempotency_keys
                         where scope = :scope and key = :key and claim_id = :claimId and state = 'in_progress'
                        """)
                .param("scope", scope)
                .param("key", key)
                .param("claimId", claimId)
                .update();
    }

    /**
     * Deletes up to {@code batch} expired rows. {@code SKIP LOCKED} lets several nodes purge at once
     * without waiting on each other or on a claim that is taking over an expired row.
     *
     * @return how many rows were deleted
     */
    int purgeExpired(Instant now, int batch) {
        return jdbc.sql("""
                        delete from idempotency_keys
                         where (scope, key) in (
                               select scope, key from idempotency_keys
                                where expires_at <= :now
                                limit :batch
                                  for update skip locked)
                        """).param("now", utc(now)).param("batch", batch).update();
    }

    private static StoredKey storedKey(ResultSet rs, int row) throws SQLException {
        StoredResponse response = "completed".equals(rs.getString("state"))
                ? new StoredResponse(
                        rs.getInt("response_status"),
                        rs.getString("response_content_type"),
                        rs.getString("response_location"),
                        rs.getBytes("response_body"))
                : null;
        return new StoredKey(
                rs.getBytes("fingerprint"), response, instant(rs, "created_at"), instant(rs, "expires_at"));
    }
}
