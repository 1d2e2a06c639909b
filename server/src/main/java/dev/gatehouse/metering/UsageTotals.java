package dev.gatehouse.metering;

import static dev.gatehouse.platform.Timestamps.instant;
import static dev.gatehouse.platform.Timestamps.nullableInstant;
import static dev.gatehouse.platform.Timestamps.utc;

import dev.gatehouse.catalog.Aggregation;
import dev.gatehouse.catalog.Period;
import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The usage_totals table: usage per organization, meter and period (day or month), kept in step with the
 * events and consumptions that make it. Every statement that writes rows takes them in {@link Row#ORDER}, one
 * order shared by ingest and quota consumption, so two transactions locking the same rows cannot deadlock.
 */
@Repository
class UsageTotals {

    private final JdbcClient db;

    UsageTotals(JdbcClient db) {
        this.db = db;
    }

    /** A row's key: an hour, day or month (UTC) of one organization's usage of one meter. */
    record Row(UUID org, String meter, Period period, Instant start) {

        static final Comparator<Row> ORDER = Comparator.comparing(Row::org)
                .thenComparing(Row::meter)
                .thenComparing(Row::period)
                .thenComparing(Row::start);

        Row {
            if (period == Period.NONE) throw new IllegalArgumentException("totals are kept per hour, day or month");
        }
    }

    /** A row's figures. */
    record Totals(
            Row row,
            long events,
            BigDecimal valueSum,
            @Nullable BigDecimal valueMax,
            @Nullable Instant latestAt,
            @Nullable BigDecimal latestValue,
            BigDecimal consumed) {

        /** What the row amounts to for a meter of this aggregation (unique_count is counted elsewhere). */
        @Nullable
        BigDecimal figure(Aggregation aggregation) {
            return switch (aggregation) {
                case COUNT -> BigDecimal.valueOf(events).add(consumed);
                case SUM -> valueSum.add(consumed);
                case MAX -> valueMax;
                case LATEST -> latestValue;
                case UNIQUE_COUNT -> null;
            };
        }
    }

    /** What a batch of events adds to one row. */
    record Delta(
            Row row, long events, BigDecimal valueSum, BigDecimal valueMax, Instant latestAt, BigDecimal latestValue) {}

    /** Adds the batch's events to their rows (created as needed); returns the rows as they are now. */
    List<Totals> addEvents(List<Delta> deltas) {
        List<Delta> sorted = deltas.stream()
                .sorted(Comparator.comparing(Delta::row, Row.ORDER))
                .toList();
        int n = sorted.size();
        String[] orgs = new String[n];
        String[] meters = new String[n];
        String[] periods = new String[n];
        String[] starts = new String[n];
        String[] events = new String[n];
        String[] sums = new String[n];
        String[] maxes = new String[n];
        String[] latestAts = new String[n];
        String[] latestValues = new String[n];
        for (int i = 0; i < n; i++) {
            Delta d = sorted.get(i);
            orgs[i] = d.row().org().toString();
            meters[i] = d.row().meter();
            periods[i] = d.row().period().wire();
            starts[i] = d.row().start().toString();
            events[i] = Long.toString(d.events());
            sums[i] = d.valueSum().toPlainString();
            maxes[i] = d.valueMax().toPlainString();
            latestAts[i] = d.latestAt().toString();
            latestValues[i] = d.latestValue().toPlainString();
        }
        // A tie on latest_at goes to this batch: of two events with one timestamp, the one accepted last wins.
        return db.sql("""
                insert into usage_totals as t
                    (org_id, meter, period, period_start, events, value_sum, value_max, latest_at, latest_value)
                select * from unnest(cast(:orgs as uuid[]), cast(:meters as text[]), cast(:periods as text[]),
                                     cast(:starts as timestamptz[]), cast(:events as bigint[]), cast(:sums as numeric[]),
                                     cast(:maxes as numeric[]), cast(:latestAts as timestamptz[]),
                                     cast(:latestValues as numeric[]))
                on conflict (org_id, meter, period, period_start) do update set
                    events = t.events + excluded.events,
                    value_sum = t.value_sum + excluded.value_sum,
                    value_max = greatest(t.value_max, excluded.value_max),
                    latest_value = case when t.latest_at is null or excluded.latest_at >= t.latest_at
                                        then excluded.latest_value else t.latest_value end,
                    latest_at = greatest(t.latest_at, excluded.latest_at)
                returning *
                """)
                .param("orgs", orgs)
                .param("meters", meters)
                .param("periods", periods)
                .param("starts", starts)
                .param("events", events)
                .param("sums", sums)
                .param("maxes", maxes)
                .param("latestAts", latestAts)
                .param("latestValues", latestValues)
                .query(UsageTotals::map)
                .list();
    }

    /**
     * Locks the rows (creating missing ones) until the transaction ends and returns them as they are: the
     * first step of admitting quota consumption against them. The no-op update is what takes the lock in
     * {@link Row#ORDER}, the order ingest takes it in (a {@code select ... for update} would lock in
     * PostgreSQL's sort order, which for uuids and text is not Java's).
     */
    List<Totals> lock(List<Row> rows) {
        List<Row> sorted = rows.stream().distinct().sorted(Row.ORDER).toList();
        int n = sorted.size();
        String[] orgs = new String[n];
        String[] meters = new String[n];
        String[] periods = new String[n];
        String[] starts = new String[n];
        for (int i = 0; i < n; i++) {
            Row r = sorted.get(i);
            orgs[i] = r.org().toString();
            meters[i] = r.meter();
            periods[i] = r.period().wire();
            starts[i] = r.start().toString();
        }
        return db.sql("""
                insert into usage_totals as t (org_id, meter, period, period_start)
                select * from unnest(cast(:orgs as uuid[]), cast(:meters as text[]), cast(:periods as text[]),
                                     cast(:starts as timestamptz[]))
                on conflict (org_id, meter, period, period_start) do update set consumed = t.consumed
                returning *
                """)
                .param("orgs", orgs)
                .param("meters", meters)
                .param("periods", periods)
                .param("starts", starts)
                .query(UsageTotals::map)
                .list();
    }

    /** Adds admitted consumption to rows this transaction has locked. */
    void addConsumed(List<Row> rows, List<BigDecimal> amounts) {
        int n = rows.size();
        String[] orgs = new String[n];
        String[] meters = new String[n];
        String[] periods = new String[n];
        String[] starts = new String[n];
        String[] values = new String[n];
        for (int i = 0; i < n; i++) {
            Row r = rows.get(i);
            orgs[i] = r.org().toString();
            meters[i] = r.meter();
            periods[i] = r.period().wire();
            starts[i] = r.start().toString();
            values[i] = amounts.get(i).toPlainString();
        }
        db.sql("""
                update usage_totals t set consumed = t.consumed + u.amount
                from unnest(cast(:orgs as uuid[]), cast(:meters as text[]), cast(:periods as text[]),
                            cast(:starts as timestamptz[]), cast(:amounts as numeric[])) as u (o, m, p, s, amount)
                where t.org_id = u.o and t.meter = u.m and t.period = u.p and t.period_start = u.s
                """)
                .param("orgs", orgs)
                .param("meters", meters)
                .param("periods", periods)
                .param("starts", starts)
                .param("amounts", values)
                .update();
    }

    /** The rows of one organization and meter whose periods start in [from, to), oldest first. */
    List<Totals> range(UUID org, String meter, Period period, Instant from, Instant to) {
        return db.sql("""
                select * from usage_totals
                where org_id = :org and meter = :meter and period = :period
                  and period_start >= :from and period_start < :to
                order by period_start
                """)
                .param("org", org)
                .param("meter", meter)
                .param("period", period.wire())
                .param("from", utc(from))
                .param("to", utc(to))
                .query(UsageTotals::map)
                .list();
    }

    Optional<Totals> find(Row row) {
        return db.sql("""
                select * from usage_totals
                where org_id = :org and meter = :meter and period = :period and period_start = :start
                """)
                .param("org", row.org())
                .param("meter", row.meter())
                .param("period", row.period().wire())
                .param("start", utc(row.start()))
                .query(UsageTotals::map)
                .optional();
    }

    /** The latest value ever recorded for a gauge meter (of the newest month that has one). */
    Optional<BigDecimal> latestValue(UUID org, String meter) {
        return db.sql("""
                select latest_value from usage_totals
                where org_id = :org and meter = :meter and period = 'month' and latest_value is not null
                order by period_start desc limit 1
                """)
                .param("org", org)
                .param("meter", meter)
                .query(BigDecimal.class)
                .optional();
    }

    /** Accepted events whose timestamps fall on the day starting at {@code day}, across all organizations. */
    long eventsOn(Instant day) {
        return db.sql("select coalesce(sum(events), 0) from usage_totals where period = 'day' and period_start = :day")
                .param("day", utc(day))
                .query(Long.class)
                .single();
    }

    private static Totals map(ResultSet rs, int n) throws SQLException {
        return new Totals(
                new Row(
                        rs.getObject("org_id", UUID.class),
                        rs.getString("meter"),
                        Period.valueOf(rs.getString("period").toUpperCase(Locale.ROOT)),
                        instant(rs, "period_start")),
                rs.getLong("events"),
                rs.getBigDecimal("value_sum"),
                rs.getBigDecimal("value_max"),
                nullableInstant(rs, "latest_at"),
                rs.getBigDecimal("latest_value"),
                rs.getBigDecimal("consumed"));
    }
}
