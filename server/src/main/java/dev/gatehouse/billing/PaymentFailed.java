package dev.gatehouse.billing;

import java.time.Instant;
import java.util.UUID;

/** A subscription invoice's payment failed and the organization entered dunning ({@code past_due}). */
public record PaymentFailed(
        UUID orgId,
        String stripeInvoiceId,
        long amountDueMinor,
        String currency,
        long attemptCount,
        String stripeEventId,
        Instant occurredAt)
        implements BillingEvent {}
