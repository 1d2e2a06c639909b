package dev.gatehouse.onboarding;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Onboarding settings ({@code gatehouse.onboarding.*}).
 *
 * @param snooze how long a snooze hides the checklist's nudge, and how often a user may snooze
 * @param gating whether gate checks apply, and what they answer when they cannot be decided
 */
@ConfigurationProperties("gatehouse.onboarding")
record OnboardingSettings(
        @DefaultValue Snooze snooze, @DefaultValue Gating gating) {

    /**
     * Snoozing the checklist.
     *
     * @param duration how long one snooze lasts (at most a day: snoozes older than a day are forgotten)
     * @param perDay how many snoozes a user may make in any 24 hours
     */
    record Snooze(
            @DefaultValue("4h") Duration duration,
            @DefaultValue("3") int perDay) {
        Snooze {
            if (duration.isNegative() || duration.isZero() || duration.compareTo(Duration.ofDays(1)) > 0) {
                throw new IllegalArgumentException(
                        "gatehouse.onboarding.snooze.duration must be more than 0 and at most 24h");
            }
            if (perDay < 1)
                throw new IllegalArgumentException("gatehouse.onboarding.snooze.per-day must be at least 1");
        }
    }

    /**
     * Gate checks ({@code POST /api/v1/gates/check}).
     *
     * @param enabled false opens every gate (200 with {@code bypassed: disabled}) without reading any progress:
     *     the switch to turn gating off in an incident
     * @param failOpen when a gate cannot be decided (the database fails), true opens it (200 with
     *     {@code bypassed: fail_open}) so the product's checkout or publishing keeps working; false answers
     *     503 {@code gating_unavailable}
     */
    record Gating(
            @DefaultValue("true") boolean enabled,
            @DefaultValue("true") boolean failOpen) {}
}
