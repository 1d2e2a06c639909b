package dev.gatehouse.catalog;

import org.jspecify.annotations.Nullable;

/**
 * A quantity usage events are recorded on, and that plans may limit.
 *
 * @param key the stable name events carry, e.g. {@code api_calls}
 * @param name a name for people
 * @param unit the unit of one event's value, for people (e.g. {@code call}, {@code MB})
 * @param aggregation how a period's events add up
 * @param property for {@link Aggregation#UNIQUE_COUNT}, the event property whose distinct values are counted;
 *     null for the others
 */
public record Meter(
        String key,
        String name,
        String unit,
        Aggregation aggregation,
        @Nullable String property) {}
