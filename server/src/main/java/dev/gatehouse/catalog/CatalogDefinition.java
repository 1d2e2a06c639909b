package dev.gatehouse.catalog;

import java.net.URI;
import java.time.Instant;
import java.util.Map;

/**
 * A valid plans.yml before it is stored: what {@link CatalogParser} makes of the file, with its text and hash.
 *
 * @param source the file's text, stored with the version so that versions can be shown and diffed
 * @param hash SHA-256 of the file's bytes, in hex
 */
record CatalogDefinition(
        String source,
        String hash,
        String defaultPlan,
        URI upgradeUrl,
        Map<String, Feature> features,
        Map<String, Meter> meters,
        Map<String, RateLimitPolicy> rateLimits,
        Map<String, Plan> plans) {

    /** This definition as the stored version {@code version}. */
    CatalogVersion at(int version, Instant loadedAt) {
        return new CatalogVersion(
                version, hash, loadedAt, defaultPlan, upgradeUrl, features, meters, rateLimits, plans);
    }
}
