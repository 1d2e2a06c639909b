package dev.gatehouse.metering;

import static dev.gatehouse.platform.Timestamps.nullableInstant;
import static dev.gatehouse.platform.Timestamps.utc;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The quota_consumptions table: consumptions made with an Idempotency-Key, and their answers. */
@Repository
class QuotaConsumptions {

    private final JdbcClient db;

    QuotaConsumptions(JdbcClient db) {
        this.db = db;
    }

    /** A caller's key: keys belong to the caller that sent them, like the platform's. */
    record CallerKey(UUID caller, String key) {}

    /** A stored consumption: the request's fingerprint and the answer it got. */
    record Stored(CallerKey key, byte[] fingerprint, Decision decision) {}

    /** The stored consumptions among these keys. */
    Map<CallerKey, Stored> find(List<CallerKey> keys) {
        Map<CallerKey, Stored> found = new HashMap<>();
        if (keys.isEmpty()) return found;
        String[] callers = keys.stream().map(k -> k.caller().toString()).toArray(String[]::new);
        String[] values = keys.stream().map(CallerKey::key).toArray(String[]::new);
        db.sql("""
                select c.* from quota_consumptions c
                join unnest(cast(:callers as uuid[]), cast(:keys as text[])) as k (caller_id, idempotency_key)
                  on c.caller_id = k.caller_id and c.idempotency_key = k.idempotency_key
                """).param("callers", callers).param("keys", values).query(rs -> {
            CallerKey key = new CallerKey(rs.getObject("caller_id", UUID.class), rs.getString("idempotency_key"));
            found.put(
                    key,
                    new Stored(
                            key,
                            rs.getBytes("fingerprint"),
                            new Decision(
                                    rs.getString("meter"),
                                    rs.getBoolean("allowed"),
                                    rs.getBigDecimal("used"),
                                    rs.getBigDecimal("quota_limit"),
                                    nullableInstant(rs, "resets_at"))));
        });
        return found;
    }

    /** A consumption to store, with the decision it got. */
    record New(CallerKey key, byte[] fingerprint, UUID org, BigDecimal amount, Decision decision) {}

    /**
     * Stores the consumptions; returns how many were new. Fewer than given means another transaction stored one
     * of the keys meanwhile (for another organization or meter: the same ones are serialized by their counter).
     */
    int insert(List<New> consumptions, Instant now) {
        int n = consumptions.size();
        String[] callers = new String[n];
        String[] keys = new String[n];
        String[] fingerprints = new String[n];
        String[] orgs = new String[n];
        String[] meters = new String[n];
        String[] amounts = new String[n];
        String[] allowed = new String[n];
        String[] used = new String[n];
        String[] limits = new String[n];
        String[] resets = new String[n];
        for (int i = 0; i < n; i++) {
            New c = consumptions.get(i);
            callers[i] = c.key().caller().toString();
            keys[i] = c.key().key();
            fingerprints[i] = HexFormat.of().formatHex(c.fingerprint());
            orgs[i] = c.org().toString();
            meters[i] = c.decision().meter();
            amounts[i] = c.amount().toPlainString();
            allowed[i] = Boolean.toString(c.decision().allowed());
            used[i] = c.decision().used().toPlainString();
            BigDecimal limit = c.decision().limit();
            limits[i] = limit == null ? null : limit.toPlainString();
            Instant resetsAt = c.decision().resetsAt();
            resets[i] = resetsAt == null ? null : resetsAt.toString();
        }
        return db.sql("""
                insert into quota_consumptions (caller_id, idempotency_key, fingerprint, org_id, meter, amount, allowed,
                                                used, quota_limit, resets_at, created_at)
                select c, k, decode(f, 'hex'), o, m, a, al, u, l, r, :now
                from unnest(cast(:callers as uuid[]), cast(:keys as text[]), cast(:fingerprints as text[]),
                            cast(:orgs as uuid[]), cast(:meters as text[]), cast(:amounts as numeric[]),
                            cast(:allowed as boolean[]), cast(:used as numeric[]), cast(:limits as numeric[]),
                            cast(:resets as timestamptz[])) as u (c, k, f, o, m, a, al, u, l, r)
                on conflict do nothing
                """)
                .param("callers", callers)
                .param("keys", keys)
                .param("fingerprints", fingerprints)
                .param("orgs", orgs)
                .param("meters", meters)
                .param("amounts", amounts)
                .param("allowed", allowed)
                .param("used", used)
                .param("limits", limits)
                .param("resets", resets)
                .param("now", utc(now))
                .update();
    }

    /** Deletes up to {@code limit} consumptions stored before {@code before}; returns how many. */
    int purge(Instant before, int limit) {
        return db.sql("""
                delete from quota_consumptions where ctid = any (array(
                    select ctid from quota_consumptions where created_at < :before limit :limit))
                """).param("before", utc(before)).param("limit", limit).update();
    }
}
