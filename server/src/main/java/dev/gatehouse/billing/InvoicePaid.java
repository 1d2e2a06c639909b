package dev.gatehouse.billing;

import java.time.Instant;
import java.util.UUID;

/** An invoice of the organization was paid (a subscription period, or a top-up's invoice). */
public record InvoicePaid(
        UUID orgId,
        String stripeInvoiceId,
        long amountPaidMinor,
        String currency,
        String stripeEventId,
        Instant occurredAt)
        implements BillingEvent {}
