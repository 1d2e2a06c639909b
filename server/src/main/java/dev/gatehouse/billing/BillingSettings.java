package dev.gatehouse.billing;

import java.math.BigDecimal;
import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How Gatehouse bills ({@code gatehouse.billing.*}); the plans' Stripe price ids are in the catalog.
 *
 * @param successUrl where Stripe Checkout sends the customer after paying ({@code {CHECKOUT_SESSION_ID}} is filled
 *     by Stripe)
 * @param cancelUrl where Checkout sends a customer who gave up
 * @param portalReturnUrl where the Customer Portal's "return" link goes
 * @param prorationBehavior Stripe's {@code proration_behavior} for plan changes: {@code create_prorations},
 *     {@code always_invoice} or {@code none}
 * @param automaticTax whether Stripe Tax computes the tax (Checkout's {@code automatic_tax}); off, the tax-rate
 *     table applies
 * @param taxRates the tax-rate table when Stripe Tax is off: ISO 3166 country code to a percentage (UZ: 12);
 *     {@code tax-rate-ids} names the Stripe tax rates that carry them. Unset, it is {@code UZ: 12}
 * @param taxRateIds the Stripe tax rate id ({@code txr_...}) of each country in {@code tax-rates}
 * @param invoice the branding put on invoices
 * @param credits the credit top-up product
 * @param dunning the dunning timeline
 * @param eventRetry how processing a Stripe event is retried before it is dead (then an admin replays it)
 */
@ConfigurationProperties("gatehouse.billing")
record BillingSettings(
        @DefaultValue("http://localhost:8080/billing/success?session_id={CHECKOUT_SESSION_ID}")
        String successUrl,

        @DefaultValue("http://localhost:8080/billing/canceled")
        URI cancelUrl,

        @DefaultValue("http://localhost:8080/billing") URI portalReturnUrl,
        @DefaultValue("create_prorations") String prorationBehavior,
        @DefaultValue("false") boolean automaticTax,
        @Nullable Map<String, BigDecimal> taxRates,
        @Nullable Map<String, String> taxRateIds,
        @DefaultValue Invoice invoice,
        @DefaultValue Credits credits,
        @DefaultValue Dunning dunning,
        @DefaultValue EventRetry eventRetry) {

    BillingSettings {
        if (!java.util.Set.of("create_prorations", "always_invoice", "none").contains(prorationBehavior)) {
            throw new IllegalArgumentException(
                    "gatehouse.billing.proration-behavior must be create_prorations, always_invoice or none");
        }
        // Unset, the table has Uzbekistan's VAT (the customer's market); set, it is exactly what is configured.
        if (taxRates == null) taxRates = Map.of("UZ", new BigDecimal("12"));
        if (taxRateIds == null) taxRateIds = Map.of();
        Map<String, BigDecimal> rates = new TreeMap<>();
        taxRates.forEach((country, rate) -> {
            if (!country.matches("[A-Za-z]{2}")) {
                throw new IllegalArgumentException("gatehouse.billing.tax-rates: '" + country + "' is no country");
            }
            if (rate.signum() < 0 || rate.compareTo(BigDecimal.valueOf(100)) > 0) {
                throw new IllegalArgumentException("gatehouse.billing.tax-rates." + country + " must be 0..100");
            }
            rates.put(country.toUpperCase(Locale.ROOT), rate);
        });
        taxRates = Map.copyOf(rates);
        Map<String, String> ids = new TreeMap<>();
        taxRateIds.forEach((country, id) -> ids.put(country.toUpperCase(Locale.ROOT), id));
        taxRateIds = Map.copyOf(ids);
    }

    /** The table's rate for a country, in percent; null when the table has none. */
    @Nullable
    BigDecimal taxRate(String country) {
        return taxRates.get(country.toUpperCase(Locale.ROOT));
    }

    /**
     * Invoice branding, set on the Stripe customer and the invoices Checkout creates.
     *
     * @param footer the footer printed on every invoice (legal name, VAT number)
     * @param description the memo shown on invoices
     */
    record Invoice(
            @DefaultValue("") String footer,
            @DefaultValue("") String description) {}

    /**
     * Credit top-ups: a Stripe price for one pack of credits, bought in quantities.
     *
     * @param stripePriceId the price of one pack ({@code price_...}); top-ups are off while it is empty
     * @param perPack credits in one pack
     * @param maxPacks the most packs one checkout may buy
     */
    record Credits(
            @DefaultValue("") String stripePriceId,
            @DefaultValue("1000") long perPack,
            @DefaultValue("100") int maxPacks) {

        Credits {
            if (perPack < 1) throw new IllegalArgumentException("gatehouse.billing.credits.per-pack must be >= 1");
            if (maxPacks < 1 || maxPacks > 1000) {
                throw new IllegalArgumentException("gatehouse.billing.credits.max-packs must be 1..1000");
            }
        }
    }

    /**
     * The dunning timeline after a failed payment: {@code past_due} while Stripe retries the card, then
     * {@code grace}, then {@code suspended}; an email at each step.
     *
     * @param pastDue how long an organization stays past due before its grace period starts
     * @param grace how long the grace period lasts before the organization is suspended
     * @param interval how often the dunning job looks for organizations whose step is over
     */
    record Dunning(
            @DefaultValue("3d") Duration pastDue,
            @DefaultValue("7d") Duration grace,
            @DefaultValue("1m") Duration interval) {}

    /**
     * Retries of a Stripe event's processing (exponential backoff).
     *
     * @param maxAttempts attempts in total; then the event's job is dead until an admin retries it
     * @param initialDelay the wait after the first failure
     * @param maxDelay the longest wait
     */
    record EventRetry(
            @DefaultValue("8") int maxAttempts,
            @DefaultValue("10s") Duration initialDelay,
            @DefaultValue("1h") Duration maxDelay) {}
}
