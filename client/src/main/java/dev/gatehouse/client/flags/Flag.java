package dev.gatehouse.client.flags;

import java.util.List;

/**
 * A feature flag. It is on for a context when it is {@code enabled}, not killed, its dependencies hold, and any
 * strategy matches (a flag without strategies is on for everyone). A {@link FlagKind#VARIANT} flag also picks a
 * variant: from the first matching strategy that has variants, else from its own {@code variants}.
 */
public record Flag(
        String key,
        FlagKind kind,
        String description,
        boolean enabled,
        List<Strategy> strategies,
        List<Variant> variants,
        List<Dependency> dependencies) {

    public Flag {
        Checks.key(key, "key");
        if (kind == null) throw new IllegalArgumentException("kind is required");
        if (description != null && description.length() > 1000) {
            throw new IllegalArgumentException("description must be at most 1000 characters");
        }
        strategies = Checks.list(strategies, "strategies");
        variants = Checks.list(variants, "variants");
        dependencies = Checks.list(dependencies, "dependencies");
        boolean hasVariants = !variants.isEmpty()
                || strategies.stream().anyMatch(s -> !s.variants().isEmpty());
        if (kind == FlagKind.BOOLEAN && hasVariants) {
            throw new IllegalArgumentException("a boolean flag has no variants; make it a variant flag");
        }
        if (kind == FlagKind.VARIANT && !hasVariants) {
            throw new IllegalArgumentException("a variant flag needs at least one variant");
        }
        for (Dependency d : dependencies) {
            if (d.flag().equals(key)) throw new IllegalArgumentException("a flag cannot depend on itself");
        }
    }

    public Flag withEnabled(boolean on) {
        return new Flag(key, kind, description, on, strategies, variants, dependencies);
    }

    public Flag withStrategies(List<Strategy> list) {
        return new Flag(key, kind, description, enabled, list, variants, dependencies);
    }

    /** The checks an admin API makes beyond the record's own: values that could never match. */
    public Flag validate() {
        strategies.forEach(Strategy::validate);
        return this;
    }
}
