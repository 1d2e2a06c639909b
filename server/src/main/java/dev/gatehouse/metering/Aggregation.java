package dev.gatehouse.metering;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/**
 * How a meter turns its events into one figure per period. {@link #COUNT} and {@link #SUM} are additive: a
 * quota can be consumed against them, and a period's figure is the sum of its days'. The others are not.
 */
enum Aggregation {
    /** The number of events (their values are ignored); consumption adds its amount. */
    COUNT,
    /** The sum of the events' values; consumption adds its amount. */
    SUM,
    /** The largest value. */
    MAX,
    /** The number of distinct values of one property. */
    UNIQUE_COUNT,
    /** The value of the event with the latest timestamp (a gauge, such as storage in use). */
    LATEST;

    @JsonValue
    String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    boolean additive() {
        return this == COUNT || this == SUM;
    }
}
