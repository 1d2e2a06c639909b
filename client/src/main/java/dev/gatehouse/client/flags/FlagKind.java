package dev.gatehouse.client.flags;

/** A boolean flag answers on or off; a variant flag also answers which variant. */
public enum FlagKind {
    BOOLEAN,
    VARIANT;

    public String wire() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    public static FlagKind of(String wire) {
        for (FlagKind k : values()) if (k.wire().equals(wire)) return k;
        throw new IllegalArgumentException("kind must be one of boolean, variant");
    }
}
