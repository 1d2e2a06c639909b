package dev.gatehouse.billing;

import java.time.Instant;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * Money went back to the customer: one refund of a charge (a charge may be refunded in several parts; each is
 * published once, keyed by {@code stripeRefundId}). Credits bought with the payment are clawed back in proportion.
 *
 * @param chargeAmountMinor the whole charge, for the proportion
 */
public record PaymentRefunded(
        UUID orgId,
        String stripeRefundId,
        String stripeChargeId,
        @Nullable String stripePaymentIntentId,
        long amountMinor,
        long chargeAmountMinor,
        String currency,
        String stripeEventId,
        Instant occurredAt)
        implements BillingEvent {}
