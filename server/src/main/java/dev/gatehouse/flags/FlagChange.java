package dev.gatehouse.flags;

import java.util.Locale;

/** What made a new version of a flag; backed by the check on {@code flag_versions.change}. */
enum FlagChange {
    CREATED,
    UPDATED,
    IMPORTED,
    DELETED;

    String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    static FlagChange of(String wire) {
        for (FlagChange c : values()) if (c.wire().equals(wire)) return c;
        throw new IllegalArgumentException("unknown flag change " + wire);
    }
}
