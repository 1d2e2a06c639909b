package dev.gatehouse.metering;

import java.time.LocalDate;

/** Platform-wide usage figures for admins' statistics. */
public interface UsageStatistics {

    /** Usage events accepted whose timestamps fall on the day (UTC), across all organizations and meters. */
    long eventsOn(LocalDate day);
}
