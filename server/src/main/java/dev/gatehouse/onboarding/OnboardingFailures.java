package dev.gatehouse.onboarding;

import dev.gatehouse.platform.ApiException;
import dev.gatehouse.platform.Problems;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;

/** The onboarding module's problems, each a fact with a stable code. */
final class OnboardingFailures {

    private OnboardingFailures() {}

    static ApiException stepNotFound() {
        return Problems.notFound("Step");
    }

    static ApiException versionNotFound() {
        return Problems.notFound("Onboarding version");
    }

    static ApiException userNotFound() {
        return Problems.notFound("User");
    }

    /** A write named a {@code row_version} that is no longer the step's: the body carries the current state. */
    static ApiException staleRowVersion(ChecklistView.StepView current) {
        return Problems.of(
                HttpStatus.CONFLICT,
                "stale_row_version",
                "Stale row version",
                "The step changed since you read it: it is now "
                        + current.status().wire() + " at row_version " + current.rowVersion()
                        + ". Read it again (see current) before changing it.",
                Map.of("current", current));
    }

    static ApiException requiredStep() {
        return Problems.invalid("required_step", "This step is required: it cannot be skipped.");
    }

    static ApiException invalidTransition(StepStatus from, StepStatus to) {
        return Problems.of(
                HttpStatus.UNPROCESSABLE_CONTENT,
                "invalid_transition",
                "Invalid transition",
                "A " + from.wire() + " step cannot become " + to.wire() + "; from " + from.wire() + " it can become "
                        + from.allowedMoves() + ".",
                Map.of("from", from.wire(), "to", to.wire()));
    }

    /** A gate is closed for the user: it names the first missing step and lists all of them. */
    static ApiException stepRequired(String gate, UUID user, List<Step> missing) {
        Step first = missing.getFirst();
        Map<String, @Nullable Object> members = new LinkedHashMap<>();
        members.put("gate", gate);
        members.put("user", user);
        members.put("missing_step", first.key());
        members.put("missing_step_title", first.title());
        members.put("missing_steps", missing.stream().map(Step::key).toList());
        return Problems.of(
                HttpStatus.CONFLICT,
                "onboarding_step_required",
                "Onboarding step required",
                "\"" + first.title() + "\" (" + first.key() + ") must be done before " + gate
                        + (missing.size() > 1 ? ", and " + (missing.size() - 1) + " more step(s)" : "") + ".",
                members);
    }

    /** Gating could not be decided (the database failed) and it is configured to fail closed. */
    static ApiException gatingUnavailable() {
        return Problems.of(
                HttpStatus.SERVICE_UNAVAILABLE,
                "gating_unavailable",
                "Gating unavailable",
                "The gate could not be checked just now; try again.",
                Map.of());
    }

    static ApiException versionNotDraft(VersionState state) {
        return Problems.conflict(
                "version_not_draft",
                "Only a draft version can be activated or deleted; this one is " + state.wire() + ".");
    }

    static ApiException duplicateStepKey(int index, String key) {
        return invalidField("steps[" + index + "].key", "must not repeat a step key (" + key + " is used earlier)");
    }

    static ApiException invalidField(String field, String message) {
        return Problems.of(
                HttpStatus.BAD_REQUEST,
                "validation_failed",
                "Validation failed",
                "One or more fields are invalid; see errors.",
                Map.of("errors", List.of(Map.of("field", field, "message", message))));
    }

    static ApiException snoozeLimitReached(int perDay, Instant retryAt, Instant now) {
        return new SnoozeLimitReached(perDay, retryAt, now);
    }

    /** 429 with {@code Retry-After}: the oldest snooze of the last day leaves the window then. */
    private static final class SnoozeLimitReached extends ApiException {
        private final long retryAfterSeconds;

        SnoozeLimitReached(int perDay, Instant retryAt, Instant now) {
            super(
                    HttpStatus.TOO_MANY_REQUESTS,
                    "snooze_limit_reached",
                    "Snooze limit reached",
                    "The checklist can be snoozed " + perDay + " times a day; the next snooze is possible at " + retryAt
                            + ".",
                    Map.of("limit", perDay, "retry_at", retryAt.toString()));
            // Rounded up: a client that waits this long is never refused again for the same reason.
            this.retryAfterSeconds = Math.max(1, (Duration.between(now, retryAt).toMillis() + 999) / 1000);
        }

        @Override
        public Map<String, String> headers() {
            return Map.of(HttpHeaders.RETRY_AFTER, String.valueOf(retryAfterSeconds));
        }
    }
}
