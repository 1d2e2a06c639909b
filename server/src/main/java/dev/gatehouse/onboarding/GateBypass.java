package dev.gatehouse.onboarding;

import com.fasterxml.jackson.annotation.JsonValue;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.Locale;

/** Why a gate was opened without the user's progress deciding it. */
@Schema(enumAsRef = true)
enum GateBypass {
    /** Gating is switched off ({@code gatehouse.onboarding.gating.enabled=false}). */
    DISABLED,
    /** Onboarding's kill switch ({@code gatehouse.onboarding.gating.kill-switch}) is active. */
    KILL_SWITCH,
    /** The bypass flag ({@code gatehouse.onboarding.gating.bypass-flag}) is on for this user and gate. */
    FLAG,
    /** The progress could not be read, and gating fails open ({@code gatehouse.onboarding.gating.fail-open}). */
    FAIL_OPEN;

    @JsonValue
    String wire() {
        return name().toLowerCase(Locale.ROOT);
    }
}
