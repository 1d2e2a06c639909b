package dev.gatehouse.client.flags;

import java.util.List;

/**
 * A flag that depends on another (its parent): it is on only if the parent is {@code enabled} (or off, when
 * false) and, when {@code variants} is not empty, the parent's variant is one of them. A parent must exist and
 * have no dependencies of its own, as in Unleash.
 */
public record Dependency(String flag, boolean enabled, List<String> variants) {

    public Dependency {
        Checks.key(flag, "dependency flag");
        variants = Checks.list(variants, "dependency variants");
    }
}
