package dev.gatehouse.catalog;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * One plan of the catalog. Collections are unmodifiable and keep the file's order.
 *
 * @param key the stable name, e.g. {@code pro}
 * @param name a name for people
 * @param description for people (may be empty)
 * @param price what it costs
 * @param trialDays the length of a trial of the plan, 0 for none
 * @param stripePriceId the Stripe price billed for it; null when it is not sold through Stripe
 * @param features the keys of the features it includes
 * @param limits its limits by name (meter keys, {@link Limit#SEATS}, {@link Limit#SESSIONS}); a name without
 *     a limit here is unlimited
 * @param rateLimits its rate-limit policies by name
 * @param includedCredits the credits granted each month
 * @param aiModels the AI models its members may use
 */
public record Plan(
        String key,
        String name,
        String description,
        Price price,
        int trialDays,
        @Nullable String stripePriceId,
        Set<String> features,
        Map<String, Limit> limits,
        Map<String, RateLimitPolicy> rateLimits,
        long includedCredits,
        List<String> aiModels) {

    public Plan {
        features = Collections.unmodifiableSet(new LinkedHashSet<>(features));
        limits = Collections.unmodifiableMap(new LinkedHashMap<>(limits));
        rateLimits = Collections.unmodifiableMap(new LinkedHashMap<>(rateLimits));
        aiModels = List.copyOf(aiModels);
    }

    public boolean hasFeature(String feature) {
        return features.contains(feature);
    }

    /** The limit on a meter or built-in limit; empty when the plan does not limit it. */
    public Optional<Limit> limit(String name) {
        return Optional.ofNullable(limits.get(name));
    }

    /** The most of {@code name} allowed per period; empty for unlimited (no limit, or {@code unlimited}). */
    public Optional<Long> max(String name) {
        Limit limit = limits.get(name);
        return limit == null ? Optional.empty() : Optional.ofNullable(limit.max());
    }
}
