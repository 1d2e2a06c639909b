package dev.gatehouse.onboarding;

import com.fasterxml.jackson.annotation.JsonValue;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.Locale;

/** Why a gate was opened without the user's progress deciding it. */
@Schema(enumAsRef = true)
enum GateBypass {
    /** Gating is switched off ({@code gatehouse.onboarding.gating.enabled=false}). */
    DISABLED,
    /** The progress could not be read, and gating fails open ({@code gatehouse.onboarding.gating.fail-open}). */
    FAIL_OPEN;

    @JsonValue
    String wire() {
        return name().toLowerCase(Locale.ROOT);
    }
}
