package dev.gatehouse.metering;

import com.fasterxml.jackson.annotation.JsonValue;
import dev.gatehouse.catalog.Aggregation;
import dev.gatehouse.catalog.Meter;
import dev.gatehouse.catalog.Period;
import dev.gatehouse.metering.UsageTotals.Totals;
import io.swagger.v3.oas.annotations.media.Schema;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Service;

/**
 * Usage summaries of one organization over a range of days, per meter, by the meter's aggregation: from the day
 * totals (count, sum, max, latest) and the distinct values seen (unique_count). Days are UTC.
 */
@Service
class UsageReports {

    /** The longest range one report covers. */
    static final int MAX_DAYS = 366;

    private final UsageTotals totals;
    private final UsageUniques uniques;

    UsageReports(UsageTotals totals, UsageUniques uniques) {
        this.totals = totals;
        this.uniques = uniques;
    }

    enum Group {
        DAY,
        MONTH,
        NONE;

        @JsonValue
        String wire() {
            return name().toLowerCase(Locale.ROOT);
        }

        static Group of(String wire) {
            for (Group g : values()) {
                if (g.wire().equals(wire)) return g;
            }
            throw MeteringFailures.invalidRange("group must be day, month or none.");
        }
    }

    /**
     * One meter's usage over the range.
     *
     * @param total the whole range's figure; absent when there was no usage
     * @param points one per day or month that had usage, oldest first; empty when not grouped
     */
    @Schema(name = "UsageSeries")
    record Series(
            String meter, Aggregation aggregation, @Nullable BigDecimal total, List<Point> points) {}

    /** @param start the first day of the day or month */
    @Schema(name = "UsagePoint")
    record Point(LocalDate start, BigDecimal value) {}

    /** Checks the range: from no later than to, at most {@link #MAX_DAYS} days. */
    static void checkRange(LocalDate from, LocalDate to) {
        if (from.isAfter(to)) throw MeteringFailures.invalidRange("from must not be after to.");
        if (ChronoUnit.DAYS.between(from, to) >= MAX_DAYS) {
            throw MeteringFailures.invalidRange("A report covers at most " + MAX_DAYS + " days.");
        }
    }

    Series series(UUID org, Meter meter, LocalDate from, LocalDate to, Group group) {
        checkRange(from, to);
        if (meter.aggregation() == Aggregation.UNIQUE_COUNT) return uniqueSeries(org, meter, from, to, group);
        List<Totals> days = totals.range(
                org,
                meter.key(),
                Period.DAY,
                from.atStartOfDay(ZoneOffset.UTC).toInstant(),
                to.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant());
        Map<LocalDate, Fold> grouped = new LinkedHashMap<>();
        Fold whole = new Fold(meter.aggregation());
        for (Totals day : days) {
            whole.add(day);
            if (group != Group.NONE) {
                LocalDate date = LocalDate.ofInstant(day.row().start(), ZoneOffset.UTC);
                LocalDate start = group == Group.DAY ? date : date.withDayOfMonth(1);
                grouped.computeIfAbsent(start, s -> new Fold(meter.aggregation()))
                        .add(day);
            }
        }
        List<Point> points = new ArrayList<>();
        grouped.forEach((start, fold) -> {
            if (fold.value() != null) points.add(new Point(start, fold.value()));
        });
        return new Series(meter.key(), meter.aggregation(), whole.value(), points);
    }

    private Series uniqueSeries(UUID org, Meter meter, LocalDate from, LocalDate to, Group group) {
        long total = uniques.distinct(org, meter.key(), from, to);
        List<Point> points = new ArrayList<>();
        if (group == Group.DAY) {
            uniques.perDay(org, meter.key(), from, to)
                    .forEach((day, count) -> points.add(new Point(day, BigDecimal.valueOf(count))));
        } else if (group == Group.MONTH) {
            for (LocalDate month = from.withDayOfMonth(1); !month.isAfter(to); month = month.plusMonths(1)) {
                LocalDate start = month.isBefore(from) ? from : month;
                LocalDate end = month.plusMonths(1).minusDays(1);
                long distinct = uniques.distinct(org, meter.key(), start, end.isAfter(to) ? to : end);
                if (distinct > 0) points.add(new Point(month, BigDecimal.valueOf(distinct)));
            }
        }
        return new Series(meter.key(), meter.aggregation(), total == 0 ? null : BigDecimal.valueOf(total), points);
    }

    /** Day totals folded into one figure by the meter's aggregation. */
    private static final class Fold {
        private final Aggregation aggregation;
        private @Nullable BigDecimal value;
        private @Nullable Instant latestAt;

        Fold(Aggregation aggregation) {
            this.aggregation = aggregation;
        }

        void add(Totals day) {
            BigDecimal figure = day.figure(aggregation);
            if (figure == null) return;
            switch (aggregation) {
                case COUNT, SUM -> value = value == null ? figure : value.add(figure);
                case MAX -> value = value == null ? figure : value.max(figure);
                case LATEST -> {
                    Instant at = day.latestAt();
                    if (at != null && (latestAt == null || !at.isBefore(latestAt))) {
                        latestAt = at;
                        value = figure;
                    }
                }
                case UNIQUE_COUNT -> throw new IllegalStateException("unique counts are not folded from totals");
            }
        }

        @Nullable
        BigDecimal value() {
            return value == null ? null : Amounts.plain(value);
        }
    }
}
