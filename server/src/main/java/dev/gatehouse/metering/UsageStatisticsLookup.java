package dev.gatehouse.metering;

import java.time.LocalDate;
import java.time.ZoneOffset;
import org.springframework.stereotype.Component;

/** {@link UsageStatistics} from the day totals: one indexed sum, however many events the day had. */
@Component
class UsageStatisticsLookup implements UsageStatistics {

    private final UsageTotals totals;

    UsageStatisticsLookup(UsageTotals totals) {
        this.totals = totals;
    }

    @Override
    public long eventsOn(LocalDate day) {
        return totals.eventsOn(day.atStartOfDay(ZoneOffset.UTC).toInstant());
    }
}
