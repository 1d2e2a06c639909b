package dev.gatehouse.metering;

import static dev.gatehouse.platform.Timestamps.utc;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.time.Instant;
import java.time.LocalDate;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.UncategorizedSQLException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceUtils;
import org.springframework.jdbc.support.SQLStateSQLExceptionTranslator;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * The usage_events table: every accepted event once, keyed by its organization and id.
 *
 * <p>A batch is stored by one {@code COPY} into the table itself, inside a savepoint: the fastest way into
 * PostgreSQL, half the server CPU per event of an {@code INSERT ... SELECT FROM unnest(...) ON CONFLICT DO NOTHING}
 * (measured with the backend's CPU time, 1,000 rows a batch). COPY has no {@code ON CONFLICT}: when one of the ids
 * is already stored (a retry, or another batch carrying it), the primary key refuses the COPY, the savepoint takes
 * it back, and the batch goes in again by the insert that skips the ids already there and says which were new. So
 * duplicates cost the slow path, and new events, the common case, the fast one. An id that a concurrent batch is
 * storing makes the COPY wait for that batch's outcome, exactly as the insert would.
 */
@Repository
class UsageEvents {

    /** PostgreSQL's unique_violation. */
    private static final String UNIQUE_VIOLATION = "23505";

    private static final SQLStateSQLExceptionTranslator SQL_STATES = new SQLStateSQLExceptionTranslator();

    private static final String COPY = "copy usage_events (org_id, event_id, meter, value, occurred_at, received_at,"
            + " properties) from stdin (format binary)";

    private final JdbcClient db;
    private final DataSource dataSource;

    UsageEvents(JdbcClient db, DataSource dataSource) {
        this.db = db;
        this.dataSource = dataSource;
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

    /** Which events of a batch were stored: all of them (the usual case), or those in {@code keys}. */
    record Stored(boolean all, Set<Key> keys) {

        static final Stored ALL = new Stored(true, Set.of());

        boolean contains(Key key) {
            return all || keys.contains(key);
        }

        boolean none() {
            return !all && keys.isEmpty();
        }
    }

    /**
     * Stores the events whose ids are new, in the caller's transaction, and returns their keys; the others are
     * duplicates. The rows go in the order given: callers sort them, so two batches sharing ids take their index
     * entries in the same order and cannot deadlock.
     */
    @Transactional(propagation = Propagation.MANDATORY)
    Stored insertNew(List<Checked> events, Instant receivedAt) {
        Connection connection = DataSourceUtils.getConnection(dataSource);
        try {
            Savepoint before = connection.setSavepoint();
            try {
                copy(connection, events, receivedAt);
                connection.releaseSavepoint(before);
            } catch (SQLException e) {
                if (!UNIQUE_VIOLATION.equals(e.getSQLState())) throw e;
                connection.rollback(before);
                return new Stored(false, insertSkippingStored(events, receivedAt));
            }
        } catch (SQLException e) {
            // A deadlock victim becomes the PessimisticLockingFailureException the caller retries on, as it would
            // from JdbcClient.
            DataAccessException translated = SQL_STATES.translate("usage events COPY", COPY, e);
            throw translated != null ? translated : new UncategorizedSQLException("usage events COPY", COPY, e);
        }
        return Stored.ALL;
    }

    private static void copy(Connection connection, List<Checked> events, Instant receivedAt) throws SQLException {
        CopyBinary rows = new CopyBinary(events.size());
        for (Checked e : events) {
            rows.row(7)
                    .uuid(e.org())
                    .text(e.id())
                    .meter(e.meter())
                    .number(e.value())
                    .instant(e.occurredAt())
                    .instant(receivedAt)
                    .nullableJsonb(e.properties());
        }
        byte[] bytes = rows.finish();
        CopyIn in = connection.unwrap(PGConnection.class).getCopyAPI().copyIn(COPY);
        try {
            in.writeToCopy(bytes, 0, bytes.length);
            in.endCopy();
        } finally {
            if (in.isActive()) in.cancelCopy();
        }
    }

    /** The slow path: one insert that skips the ids already stored, and returns those it stored. */
    private Set<Key> insertSkippingStored(List<Checked> events, Instant receivedAt) {
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
