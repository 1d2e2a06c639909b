package dev.gatehouse.client.flags;

import java.util.List;

/** Forces a variant when a context field holds one of {@code values} (exact match). */
public record VariantOverride(String contextName, List<String> values) {

    public VariantOverride {
        Checks.text(contextName, "context_name", 100);
        values = Checks.list(values, "values");
    }
}
