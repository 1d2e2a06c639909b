package dev.gatehouse.credits;

import static dev.gatehouse.platform.Timestamps.utc;

import java.time.Instant;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The credit_requests table: credit calls made with an Idempotency-Key, and their answers. */
@Repository
class CreditRequests {

    private final JdbcClient db;

    CreditRequests(JdbcClient db) {
        this.db = db;
    }

    /** A caller's key with the request's fingerprint (SHA-256 of the route and body). */
    record Key(UUID caller, String key, byte[] fingerprint) {}

    /** A stored answer. */
    record Stored(byte[] fingerprint, int status, String response) {}

    @Nullable
    Stored find(Key key) {
        return db.sql("""
                        select fingerprint, status, response::text as response from credit_requests
                        where caller_id = :caller and idempotency_key = :key
                        """)
                .param("caller", key.caller())
                .param("key", key.key())
                .query((rs, i) -> new Stored(rs.getBytes("fingerprint"), rs.getInt("status"), rs.getString("response")))
                .optional()
                .orElse(null);
    }

    /** Stores the answer; false when another transaction stored one for the key meanwhile. */
    boolean insert(Key key, int status, String response, Instant now) {
        return db.sql("""
                                insert into credit_requests (caller_id, idempotency_key, fingerprint, status, response,
                                                             created_at)
                                values (:caller, :key, :fingerprint, :status, cast(:response as jsonb), :now)
                                on conflict do nothing
                                """)
                        .param("caller", key.caller())
                        .param("key", key.key())
                        .param("fingerprint", key.fingerprint())
                        .param("status", status)
                        .param("response", response)
                        .param("now", utc(now))
                        .update()
                == 1;
    }

    /** Deletes up to {@code limit} answers stored before {@code before}; returns how many. */
    int purge(Instant before, int limit) {
        return db.sql("""
                        delete from credit_requests where ctid = any (array(
                            select ctid from credit_requests where created_at < :before limit :limit))
                        """).param("before", utc(before)).param("limit", limit).update();
    }
}
