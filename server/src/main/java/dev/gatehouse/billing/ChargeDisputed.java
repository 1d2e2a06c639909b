package dev.gatehouse.billing;

import java.time.Instant;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * The customer's bank opened a dispute (chargeback) on a charge: the disputed amount is withheld by Stripe. Once per
 * dispute ({@code stripeDisputeId}); see docs/billing.md's chargeback playbook.
 *
 * @param creditsBought the PT that the charge's payment bought when it was a credit top-up (0 when it bought none):
 *     the credits module takes back the share {@code amountMinor / purchaseAmountMinor} of them
 * @param purchaseAmountMinor what that top-up cost (0 when the charge bought no credits)
 */
public record ChargeDisputed(
        UUID orgId,
        String stripeDisputeId,
        String stripeChargeId,
        @Nullable String stripePaymentIntentId,
        long amountMinor,
        String currency,
        String reason,
        long creditsBought,
        long purchaseAmountMinor,
        String stripeEventId,
        Instant occurredAt)
        implements BillingEvent {}
