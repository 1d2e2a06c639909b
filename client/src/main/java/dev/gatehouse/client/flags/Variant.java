package dev.gatehouse.client.flags;

import java.util.List;

/**
 * One variant of a flag or of a strategy. Selection is by weight over the sum of the list's weights; a variant's
 * {@code stickiness} (the first variant's counts, as in Unleash) names the context field that keeps a caller on
 * the same variant, {@code default} meaning user id, else session id, else random.
 *
 * @param stickiness null for the default
 * @param payload null for none
 */
public record Variant(String name, int weight, String stickiness, Payload payload, List<VariantOverride> overrides) {

    public Variant {
        Checks.text(name, "variant name", 200);
        if (weight < 0 || weight > 100_000) throw new IllegalArgumentException("variant weight must be 0 to 100000");
        if (stickiness != null) Checks.text(stickiness, "variant stickiness", 100);
        overrides = Checks.list(overrides, "overrides");
    }

    public Variant(String name, int weight) {
        this(name, weight, null, null, List.of());
    }
}
