package dev.gatehouse.onboarding;

import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * Who a checklist is shown to, as the caller describes them: the user's market and product role. Gatehouse
 * does not own either (the product does), so they come with each request, as a feature flag's context does;
 * the product's backend passes its own view of them to gate checks.
 *
 * @param market an ISO 3166-1 alpha-2 country code, upper case; null when not given
 * @param role the user's role in the product, a lower-case word; null when not given
 */
record Audience(@Nullable String market, @Nullable String role) {

    /** Two letters, either case (the API upper-cases them). */
    static final String MARKET = "[A-Za-z]{2}";

    static final String MARKET_MESSAGE = "must be a two-letter country code (ISO 3166-1 alpha-2), such as FR";

    /** A lower-case word of letters, digits and underscores, starting with a letter. */
    static final String ROLE = "[a-z][a-z0-9_]{0,31}";

    static final String ROLE_MESSAGE = "must be a lower-case word of letters, digits and underscores (at most 32)";

    static final Audience ANYONE = new Audience(null, null);

    /** The audience from already validated request values, market upper-cased. */
    static Audience of(@Nullable String market, @Nullable String role) {
        return new Audience(market == null ? null : market.toUpperCase(Locale.ROOT), role);
    }
}
