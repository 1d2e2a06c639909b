package dev.gatehouse.billing;

import java.time.Instant;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * Money went back to the customer: one refund of a charge (a charge may be refunded in several parts; each is
 * published once, keyed by {@code stripeRefundId}). Credits bought with the payment are clawed back in proportion.
 *
 * @param chargeAmountMinor the whole charge, for the proportion
 * @param creditsBought the PT that the charge's payment bought when it was a credit top-up (0 when it bought none):
 *     the credits module takes back the share {@code amountMinor / purchaseAmountMinor} of them
 * @param purchaseAmountMinor what that top-up cost (0 when the charge bought no credits)
 */
public record PaymentRefunded(
        UUID orgId,
        String stripeRefundId,
        String stripeChargeId,
        @Nullable String stripePaymentIntentId,
        long amountMinor,
        long chargeAmountMinor,
        String currency,
        long creditsBought,
        long purchaseAmountMinor,
        String stripeEventId,
        Instant occurredAt)
        implements BillingEvent {}
