package dev.gatehouse.billing;

import java.time.Duration;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The Stripe connection ({@code gatehouse.stripe.*}; {@code GATEHOUSE_STRIPE_*} in the environment). Without a
 * secret key billing is off: its routes answer 409 {@code billing_disabled} and nothing calls Stripe.
 *
 * @param secretKey the API secret key ({@code sk_live_...}, {@code sk_test_...} or a restricted {@code rk_...})
 * @param webhookSecret the webhook endpoint's signing secrets ({@code whsec_...}); several, comma-separated, while
 *     a secret is being rotated: a signature by any of them is accepted
 * @param apiBase Stripe's API base URL; a local fake server in tests
 * @param tolerance how old a signed webhook may be (its {@code t=}) and still be accepted; replays of older ones
 *     are refused
 * @param connectTimeout the connect timeout of calls to Stripe
 * @param readTimeout the read timeout of calls to Stripe
 * @param maxNetworkRetries the SDK's own retries of a failed call (each with the same idempotency key)
 */
@ConfigurationProperties("gatehouse.stripe")
record StripeSettings(
        @Nullable String secretKey,
        @DefaultValue List<String> webhookSecret,
        @DefaultValue("https://api.stripe.com") String apiBase,
        @DefaultValue("300s") Duration tolerance,
        @DefaultValue("10s") Duration connectTimeout,
        @DefaultValue("30s") Duration readTimeout,
        @DefaultValue("2") int maxNetworkRetries) {

    StripeSettings {
        webhookSecret = webhookSecret.stream()
                .map(String::strip)
                .filter(s -> !s.isEmpty())
                .toList();
        if (secretKey != null && secretKey.isBlank()) secretKey = null;
        if (maxNetworkRetries < 0) throw new IllegalArgumentException("gatehouse.stripe.max-network-retries >= 0");
        if (tolerance.isNegative() || tolerance.isZero()) {
            throw new IllegalArgumentException("gatehouse.stripe.tolerance must be positive");
        }
    }

    /** Whether billing is on: a secret key is set. */
    boolean enabled() {
        return secretKey != null;
    }
}
