package dev.gatehouse.metering;

import java.time.LocalDate;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The usage_uniques table: the distinct values per day of the meters that aggregate by unique_count. */
@Repository
class UsageUniques {

    private final JdbcClient db;

    UsageUniques(JdbcClient db) {
        this.db = db;
    }

    record Seen(UUID org, String meter, LocalDate day, String value) {
        static final Comparator<Seen> ORDER = Comparator.comparing(Seen::org)
                .thenComparing(Seen::meter)
                .thenComparing(Seen::day)
                .thenComparing(Seen::value);
    }

    /** Records values seen (the rows go in one order, so concurrent batches cannot deadlock on them). */
    void add(List<Seen> seen) {
        List<Seen> sorted = seen.stream().distinct().sorted(Seen.ORDER).toList();
        int n = sorted.size();
        String[] orgs = new String[n];
        String[] meters = new String[n];
        String[] days = new String[n];
        String[] values = new String[n];
        for (int i = 0; i < n; i++) {
            Seen s = sorted.get(i);
            orgs[i] = s.org().toString();
            meters[i] = s.meter();
            days[i] = s.day().toString();
            values[i] = s.value();
        }
        db.sql("""
                insert into usage_uniques (org_id, meter, day, value)
                select * from unnest(cast(:orgs as uuid[]), cast(:meters as text[]), cast(:days as date[]),
                                     cast(:values as text[]))
                on conflict do nothing
                """)
                .param("orgs", orgs)
                .param("meters", meters)
                .param("days", days)
                .param("values", values)
                .update();
    }

    /** Distinct values per day in [from, to], for the days that have any. */
    Map<LocalDate, Long> perDay(UUID org, String meter, LocalDate from, LocalDate to) {
        Map<LocalDate, Long> counts = new LinkedHashMap<>();
        db.sql("""
                select day, count(*) from usage_uniques
                where org_id = :org and meter = :meter and day between :from and :to
                group by day order by day
                """)
                .param("org", org)
                .param("meter", meter)
                .param("from", from)
                .param("to", to)
                .query(rs -> {
                    counts.put(rs.getObject(1, LocalDate.class), rs.getLong(2));
                });
        return counts;
    }

    /** Distinct values over the whole of [from, to]. */
    long distinct(UUID org, String meter, LocalDate from, LocalDate to) {
        return db.sql("""
                select count(distinct value) from usage_uniques
                where org_id = :org and meter = :meter and day between :from and :to
                """)
                .param("org", org)
                .param("meter", meter)
                .param("from", from)
                .param("to", to)
                .query(Long.class)
                .single();
    }
}
