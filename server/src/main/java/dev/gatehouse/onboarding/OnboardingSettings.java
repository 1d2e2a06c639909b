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
     * @param killSwitch the flags module's kill switch that, while active, opens every gate (200 with
     *     {@code bypassed: kill_switch}); on every node within a second of being flipped
     * @param bypassFlag the feature flag that, where it is on, opens the gates (200 with {@code bypassed: flag}):
     *     evaluated for the user with {@code user_id}, {@code market} and the properties {@code role} and
     *     {@code gate}, so it can open gates for some users, markets, roles, gates or a rollout percentage. A flag
     *     that does not exist is off: until someone creates it, every gate is decided by progress
     */
    record Gating(
            @DefaultValue("true") boolean enabled,
            @DefaultValue("true") boolean failOpen,
            @DefaultValue("onboarding.gating") String killSwitch,
            @DefaultValue("onboarding.gating.bypass") String bypassFlag) {}
}
