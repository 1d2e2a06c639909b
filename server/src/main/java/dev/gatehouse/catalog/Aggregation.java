package dev.gatehouse.catalog;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** How a meter's events in one period add up to its usage. */
public enum Aggregation {
    /** The number of events. */
    COUNT,
    /** The sum of the events' values. */
    SUM,
    /** The largest value. */
    MAX,
    /** The number of distinct values of the meter's {@code property}. */
    UNIQUE_COUNT,
    /** The value of the event with the latest timestamp (a gauge, such as storage in use). */
    LATEST;

    /** The name in plans.yml and on the wire. */
    @JsonValue
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }
}
