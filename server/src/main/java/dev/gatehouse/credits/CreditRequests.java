package dev.gatehouse.credits;

import static dev.gatehouse.platform.Timestamps.utc;

import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
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
    record Key(UUID caller, String key, byte[] fingerprint) {

        CallerKey callerKey() {
            return new CallerKey(caller, key);
        }
    }

    /** A key as the table's primary key has it: keys belong to the caller that sent them. */
    record CallerKey(UUID caller, String key) {}

    /** A stored answer. */
    record Stored(byte[] fingerprint, int status, String response) {}

    /** The answers stored for these keys: one query for any number. */
    Map<CallerKey, Stored> find(Collection<Key> keys) {
        Map<CallerKey, Stored> found = new HashMap<>();
        if (keys.isEmpty()) return found;
        db.sql("""
                        select r.caller_id, r.idempotency_key, r.fingerprint, r.status, r.response::text as response
                        from credit_requests r
                        join unnest(cast(:callers as uuid[]), cast(:keys as text[])) as k (caller_id, idempotency_key)
                          on r.caller_id = k.caller_id and r.idempotency_key = k.idempotency_key
                        """)
                .param("callers", keys.stream().map(k -> k.caller().toString()).toArray(String[]::new))
                .param("keys", keys.stream().map(Key::key).toArray(String[]::new))
                .query(rs -> {
                    found.put(
                            new CallerKey(rs.getObject("caller_id", UUID.class), rs.getString("idempotency_key")),
                            new Stored(rs.getBytes("fingerprint"), rs.getInt("status"), rs.getString("response")));
                });
        return found;
    }

    /** An answer to store under its key. */
    record New(Key key, int status, String response) {}

    /**
     * Stores the answers; returns how many were new. Fewer than given means another transaction stored one of the
     * keys meanwhile. In key order, so that two transactions storing some of the same keys wait for each other
     * instead of deadlocking.
     */
    int insert(List<New> answers, Instant now) {
        if (answers.isEmpty()) return 0;
        return db.sql("""
                        insert into credit_requests (caller_id, idempotency_key, fingerprint, status, response,
                                                     created_at)
                        select c, k, decode(f, 'hex'), s, cast(r as jsonb), :now
                        from unnest(cast(:callers as uuid[]), cast(:keys as text[]), cast(:fingerprints as text[]),
                                    cast(:statuses as integer[]), cast(:responses as text[])) as u (c, k, f, s, r)
                        order by c, k
                        on conflict do nothing
                        """)
                .param(
                        "callers",
                        answers.stream().map(a -> a.key().caller().toString()).toArray(String[]::new))
                .param("keys", answers.stream().map(a -> a.key().key()).toArray(String[]::new))
                .param(
                        "fingerprints",
                        answers.stream()
                                .map(a -> HexFormat.of().formatHex(a.key().fingerprint()))
                                .toArray(String[]::new))
                .param(
                        "statuses",
                        answers.stream().map(a -> Integer.toString(a.status())).toArray(String[]::new))
                .param("responses", answers.stream().map(New::response).toArray(String[]::new))
                .param("now", utc(now))
                .update();
    }

    /** Deletes up to {@code limit} answers stored before {@code before}; returns how many. */
    int purge(Instant before, int limit) {
        return db.sql("""
                        delete from credit_requests where ctid = any (array(
                            select ctid from credit_requests where created_at < :before limit :limit))
                        """).param("before", utc(before)).param("limit", limit).update();
    }
}
