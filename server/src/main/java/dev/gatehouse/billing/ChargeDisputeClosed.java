package dev.gatehouse.billing;

import java.time.Instant;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * A dispute ended: {@code status} is Stripe's ({@code won}: the money came back; {@code lost}: it is gone for
 * good; {@code warning_closed}, {@code prevented}). Once per dispute.
 *
 * @param creditsBought the PT that the charge's payment bought when it was a credit top-up (0 when it bought none):
 *     the credits module takes back the share {@code amountMinor / purchaseAmountMinor} of them
 * @param purchaseAmountMinor what that top-up cost (0 when the charge bought no credits)
 */
public record ChargeDisputeClosed(
        UUID orgId,
        String stripeDisputeId,
        String stripeChargeId,
        @Nullable String stripePaymentIntentId,
        long amountMinor,
        String currency,
        String status,
        long creditsBought,
        long purchaseAmountMinor,
        String stripeEventId,
        Instant occurredAt)
        implements BillingEvent {}
