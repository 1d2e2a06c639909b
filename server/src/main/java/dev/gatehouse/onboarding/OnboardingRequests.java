package dev.gatehouse.onboarding;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;

/** The request bodies of the onboarding routes, and the checks that need more than an annotation. */
final class OnboardingRequests {

    private OnboardingRequests() {}

    /** A step key or a gate name: a lower-case word of letters, digits and underscores, at most 64. */
    static final String KEY = "[a-z][a-z0-9_]{0,63}";

    static final String KEY_MESSAGE = "must be a lower-case word of letters, digits and underscores (at most 64)";

    /** A one-line text with at least one character that is not a space, and no control characters. */
    static final String LINE = "[^\\p{Cntrl}]*[^\\p{Cntrl}\\s][^\\p{Cntrl}]*";

    static final String LINE_MESSAGE = "must not be blank or contain control characters";

    /** Free text with at least one character that is not a space (line breaks allowed). */
    static final String TEXT = "[\\s\\S]*\\S[\\s\\S]*";

    static final String TEXT_MESSAGE = "must not be blank";

    static final int MAX_STEPS = 50;

    /**
     * {@code PATCH /api/v1/onboarding/steps/{id}}: the new status and the {@code row_version} the client read.
     */
    record StepChange(
            @NotNull StepStatus status, @NotNull @Min(1) Integer rowVersion) {}

    /**
     * {@code POST /api/v1/gates/check}, from the product's backend.
     *
     * @param user the user about to do the gated action
     * @param gate the action, as the checklist's steps name it ({@code publish}, {@code checkout}, ...)
     * @param market the user's market, for steps filtered by market
     * @param role the user's role in the product, for steps filtered by role
     */
    record GateCheck(
            @NotNull UUID user,

            @NotNull @Pattern(regexp = KEY, message = KEY_MESSAGE)
            String gate,

            @Nullable @Pattern(regexp = Audience.MARKET, message = Audience.MARKET_MESSAGE)
            String market,

            @Nullable @Pattern(regexp = Audience.ROLE, message = Audience.ROLE_MESSAGE)
            String role) {

        Audience audience() {
            return Audience.of(market, role);
        }
    }

    /** {@code POST /api/v1/admin/onboarding/versions}: a new draft version, its steps in checklist order. */
    record NewChecklistVersion(
            @Nullable @Size(min = 1, max = 500) @Pattern(regexp = TEXT, message = TEXT_MESSAGE)
            String description,

            @NotNull @Size(min = 1, max = MAX_STEPS) List<@NotNull @Valid NewChecklistStep> steps) {

        /** The steps as definitions, with markets upper-cased; a key repeated is refused. */
        List<Step> definitions() {
            Set<String> keys = new HashSet<>();
            List<Step> out = new ArrayList<>();
            for (int i = 0; i < steps.size(); i++) {
                NewChecklistStep s = steps.get(i);
                if (!keys.add(s.key())) throw OnboardingFailures.duplicateStepKey(i, s.key());
                out.add(s.definition("steps[" + i + "]."));
            }
            return out;
        }
    }

    /**
     * One step of a new version.
     *
     * @param key the step's name; progress follows it from version to version
     * @param weight its share of the progress percentage, 1 to 1000
     * @param required whether the checklist is complete without it (a required step cannot be skipped)
     * @param markets ISO 3166-1 alpha-2 codes the step is limited to; absent or empty: every market
     * @param roles product roles the step is limited to; absent or empty: every role
     * @param gates product actions that need this step done first
     */
    record NewChecklistStep(
            @NotNull @Pattern(regexp = KEY, message = KEY_MESSAGE)
            String key,

            @NotNull @Size(min = 1, max = 200) @Pattern(regexp = LINE, message = LINE_MESSAGE)
            String title,

            @Nullable @Size(min = 1, max = 1000) @Pattern(regexp = TEXT, message = TEXT_MESSAGE)
            String description,

            @NotNull @Min(1) @Max(1000) Integer weight,
            @NotNull Boolean required,

            @Nullable @Size(max = 300)
            List<@NotNull @Pattern(regexp = Audience.MARKET, message = Audience.MARKET_MESSAGE) String> markets,

            @Nullable @Size(max = 20)
            List<@NotNull @Pattern(regexp = Audience.ROLE, message = Audience.ROLE_MESSAGE) String> roles,

            @Nullable @Size(max = 20) List<@NotNull @Pattern(regexp = KEY, message = KEY_MESSAGE) String> gates) {

        Step definition(String field) {
            return new Step(
                    key,
                    title,
                    description,
                    weight,
                    required,
                    distinct(field + "markets", markets, m -> m.toUpperCase(Locale.ROOT)),
                    distinct(field + "roles", roles, UnaryOperator.identity()),
                    distinct(field + "gates", gates, UnaryOperator.identity()));
        }

        private static List<String> distinct(String field, @Nullable List<String> values, UnaryOperator<String> norm) {
            if (values == null) return List.of();
            List<String> out = values.stream().map(norm).toList();
            if (new HashSet<>(out).size() != out.size()) {
                throw OnboardingFailures.invalidField(field, "must not repeat a value");
            }
            return out;
        }
    }

    /** {@code POST /api/v1/admin/onboarding/migrate-version}: the draft that becomes the active version. */
    record MigrateChecklist(@NotNull @Min(1) Integer version) {}
}
