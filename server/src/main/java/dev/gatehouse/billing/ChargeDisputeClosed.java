package dev.gatehouse.billing;

import java.time.Instant;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * A dispute ended: {@code status} is Stripe's ({@code won}: the money came back; {@code lost}: it is gone for
 * good; {@code warning_closed}, {@code prevented}). Once per dispute.
 */
public record ChargeDisputeClosed(
        UUID orgId,
        String stripeDisputeId,
        String stripeChargeId,
        @Nullable String stripePaymentIntentId,
        long amountMinor,
        String currency,
        String status,
        String stripeEventId,
        Instant occurredAt)
        implements BillingEvent {}
