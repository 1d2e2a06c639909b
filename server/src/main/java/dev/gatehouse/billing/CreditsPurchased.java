package dev.gatehouse.billing;

import java.time.Instant;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * A credit top-up was paid: grant {@code credits} to the organization. Published once per checkout session, so
 * {@code stripeCheckoutSessionId} is the grant's idempotency key.
 *
 * @param amountMinor what was paid, in the currency's minor unit
 * @param stripePaymentIntentId the payment (a later {@link PaymentRefunded} or {@link ChargeDisputed} names it)
 */
public record CreditsPurchased(
        UUID orgId,
        long credits,
        long amountMinor,
        String currency,
        String stripeCheckoutSessionId,
        @Nullable String stripePaymentIntentId,
        String stripeEventId,
        Instant occurredAt)
        implements BillingEvent {}
