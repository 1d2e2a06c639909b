package dev.gatehouse.billing;

import java.time.Instant;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * The customer's bank opened a dispute (chargeback) on a charge: the disputed amount is withheld by Stripe. Once per
 * dispute ({@code stripeDisputeId}); see docs/billing.md's chargeback playbook.
 */
public record ChargeDisputed(
        UUID orgId,
        String stripeDisputeId,
        String stripeChargeId,
        @Nullable String stripePaymentIntentId,
        long amountMinor,
        String currency,
        String reason,
        String stripeEventId,
        Instant occurredAt)
        implements BillingEvent {}
