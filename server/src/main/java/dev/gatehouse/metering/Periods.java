package dev.gatehouse.metering;

import dev.gatehouse.catalog.Aggregation;
import dev.gatehouse.catalog.CatalogVersion;
import dev.gatehouse.catalog.Limit;
import dev.gatehouse.catalog.Period;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/** How metering keeps usage per period: which periods a meter's totals are kept for, and where they start. */
final class Periods {

    private Periods() {}

    /** Count and sum add up: a quota can be consumed against them, and a period's figure is the sum of its parts. */
    static boolean additive(Aggregation aggregation) {
        return aggregation == Aggregation.COUNT || aggregation == Aggregation.SUM;
    }

    /**
     * The periods a meter's totals are kept for: always the day (reports) and the month (monthly limits, the
     * gauges' latest value), and the hour when some plan of the catalog limits the meter per hour.
     */
    static Set<Period> kept(String meter, CatalogVersion catalog) {
        boolean hourly = catalog.plans().values().stream()
                .anyMatch(plan -> plan.limit(meter)
                        .map(limit -> limit.period() == Period.HOUR)
                        .orElse(false));
        return hourly ? EnumSet.of(Period.HOUR, Period.DAY, Period.MONTH) : EnumSet.of(Period.DAY, Period.MONTH);
    }

    /** The start of the period holding {@code at}; for {@link Period#NONE}, of its month (alerts fire monthly). */
    static Instant start(Period period, Instant at) {
        return (period == Period.NONE ? Period.MONTH : period)
                .windowAt(at)
                .orElseThrow()
                .start();
    }

    /** When the period holding {@code at} ends and its count starts again; null for {@link Period#NONE}. */
    static @Nullable Instant resetsAt(Period period, Instant at) {
        return period.windowAt(at).map(Period.Window::end).orElse(null);
    }

    /** The limit's maximum, or null when it is unlimited. */
    static java.math.@Nullable BigDecimal max(Limit limit) {
        Long max = limit.max();
        return max == null ? null : java.math.BigDecimal.valueOf(max);
    }
}
