package dev.gatehouse.catalog;

import java.net.URI;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One loaded, valid catalog: every map keeps the file's order and is unmodifiable.
 *
 * @param version the version number (1, 2, ...), one per distinct content loaded
 * @param hash SHA-256 of the file's bytes, in hex
 * @param loadedAt when this version was stored
 * @param defaultPlanKey the key of the plan every new organization starts on
 * @param upgradeUrl where a customer upgrades (the product's pricing page), sent with every 402
 * @param features the features plans may include, by key
 * @param meters the meters usage is recorded on, by key
 * @param rateLimits policies that apply whatever the plan (anonymous callers, sign-up, sign-in), by name
 * @param plans the plans, by key, in the file's order
 */
public record CatalogVersion(
        int version,
        String hash,
        Instant loadedAt,
        String defaultPlanKey,
        URI upgradeUrl,
        Map<String, Feature> features,
        Map<String, Meter> meters,
        Map<String, RateLimitPolicy> rateLimits,
        Map<String, Plan> plans) {

    public CatalogVersion {
        features = ordered(features);
        meters = ordered(meters);
        rateLimits = ordered(rateLimits);
        plans = ordered(plans);
        if (!plans.containsKey(defaultPlanKey)) throw new IllegalArgumentException("no default plan " + defaultPlanKey);
    }

    private static <V> Map<String, V> ordered(Map<String, V> map) {
        return Collections.unmodifiableMap(new LinkedHashMap<>(map));
    }

    public Optional<Plan> plan(String key) {
        return Optional.ofNullable(plans.get(key));
    }

    /** The plan new organizations start on, and the one an ended paid subscription falls back to. */
    public Plan defaultPlan() {
        return plans.get(defaultPlanKey);
    }

    /** The plans that include the feature, in the file's order (cheapest first when the file lists them so). */
    public List<Plan> plansWith(String feature) {
        return plans.values().stream().filter(p -> p.hasFeature(feature)).toList();
    }

    public Optional<Meter> meter(String key) {
        return Optional.ofNullable(meters.get(key));
    }

    public boolean hasFeature(String key) {
        return features.containsKey(key);
    }
}
