package dev.gatehouse.catalog;

/**
 * Something a plan may include, checked with {@code POST /api/v1/entitlements/check}.
 *
 * @param key the stable name products gate on, e.g. {@code priority_support}
 * @param name a name for people
 * @param description what it unlocks (may be empty)
 */
public record Feature(String key, String name, String description) {}
