package dev.gatehouse.metering;

import static dev.gatehouse.platform.Timestamps.utc;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The usage_events table: every accepted event once, keyed by its organization and id. */
@Repository
class UsageEvents {

    private final JdbcClient db;

    UsageEvents(JdbcClient db) {
        this.db = db;
    }

    /**
     * One checked event, ready to store.
     *
     * @param properties the properties as a JSON object, or null
     * @param unique for a unique_count meter, the value of its property as text; else null
     */
    record Checked(
            int index,
            UUID org,
            String id,
            String meter,
            BigDecimal value,
            Instant occurredAt,
            @Nullable String properties,
            @Nullable String unique) {

        LocalDate day() {
            return LocalDate.ofInstant(occurredAt, java.time.ZoneOffset.UTC);
        }

        Key key() {
            return new Key(org, id);
        }
    }

    record Key(UUID org, String id) {}

    /**
     * Stores the events whose ids are new and returns their keys; the others are duplicates. One statement
     * for the whole batch. The rows go in the order given: callers sort them, so two batches sharing ids take
     * their index locks in the same order and cannot deadlock; an id a concurrent batch is inserting makes this
     * one wait for that batch's outcome.
     */
    Set<Key> insertNew(List<Checked> events, Instant receivedAt) {
        int n = events.size();
        String[] orgs = new String[n];
        String[] ids = new String[n];
        String[] meters = new String[n];
        String[] values = new String[n];
        String[] ats = new String[n];
        String[] properties = new String[n];
        for (int i = 0; i < n; i++) {
            Checked e = events.get(i);
            orgs[i] = e.org().toString();
            ids[i] = e.id();
            meters[i] = e.meter();
            values[i] = e.value().toPlainString();
            ats[i] = e.occurredAt().toString();
            properties[i] = e.properties();
        }
        Set<Key> inserted = new HashSet<>(n * 2);
        db.sql("""
                insert into usage_events (org_id, event_id, meter, value, occurred_at, received_at, properties)
                select o, i, m, v, t, :received, p
                from unnest(cast(:orgs as uuid[]), cast(:ids as text[]), cast(:meters as text[]),
                            cast(:values as numeric[]), cast(:ats as timestamptz[]), cast(:props as jsonb[]))
                     as u (o, i, m, v, t, p)
                on conflict do nothing
                returning org_id, event_id
                """)
                .param("received", utc(receivedAt))
                .param("orgs", orgs)
                .param("ids", ids)
                .param("meters", meters)
                .param("values", values)
                .param("ats", ats)
                .param("props", properties)
                .query(rs -> {
                    inserted.add(new Key(rs.getObject(1, UUID.class), rs.getString(2)));
                });
        return inserted;
    }

    /** Deletes up to {@code limit} events received before {@code before}; returns how many. */
    int purge(Instant before, int limit) {
        return db.sql("""
                delete from usage_events where ctid = any (array(
                    select ctid from usage_events where received_at < :before limit :limit))
                """).param("before", utc(before)).param("limit", limit).update();
    }
}
