package dev.gatehouse.client.flags;

/** The variant chosen for a context; {@code disabled} (enabled false) when none is. */
public record VariantResult(String name, boolean enabled, Payload payload) {

    public static final VariantResult DISABLED = new VariantResult("disabled", false, null);
}
