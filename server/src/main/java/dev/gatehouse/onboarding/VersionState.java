package dev.gatehouse.onboarding;

import com.fasterxml.jackson.annotation.JsonValue;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Where a checklist version is in its life: a {@code draft} (being prepared, no user sees it), the one
 * {@code active} version, or {@code retired} (replaced by a migration). The {@code onboarding_versions.state}
 * check constraint backs the list; a partial unique index allows one active version. The transitions are the
 * methods below, each refusing the move it cannot make.
 */
@Schema(enumAsRef = true)
enum VersionState {
    DRAFT,
    ACTIVE,
    RETIRED;

    /** The name on the wire and in the database. */
    @JsonValue
    String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** A draft becomes the active version; nothing else can. */
    VersionState activate() {
        if (this != DRAFT) throw OnboardingFailures.versionNotDraft(this);
        return ACTIVE;
    }

    /** The active version is retired when another replaces it. */
    VersionState retire() {
        if (this != ACTIVE)
            throw new IllegalStateException("Only the active version can be retired, not a " + wire() + " one.");
        return RETIRED;
    }

    /** Only drafts may be deleted: a version users have followed stays, as the record of what they saw. */
    void checkDeletable() {
        if (this != DRAFT) throw OnboardingFailures.versionNotDraft(this);
    }

    static VersionState of(String wire) {
        for (VersionState state : values()) {
            if (state.wire().equals(wire)) return state;
        }
        throw new IllegalArgumentException("Must be one of "
                + Arrays.stream(values()).map(VersionState::wire).collect(Collectors.joining(", ")) + ".");
    }
}
