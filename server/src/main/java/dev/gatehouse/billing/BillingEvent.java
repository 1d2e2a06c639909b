package dev.gatehouse.billing;

import java.time.Instant;
import java.util.UUID;

/**
 * A payment fact the billing module publishes, in the transaction that recorded it, each exactly once per Stripe
 * object (however often Stripe delivers the event): public records that serialize with Jackson, for other modules'
 * {@code @ApplicationModuleListener}s. The credits module grants purchased credits on {@link CreditsPurchased} and
 * claws them back with a compensating ledger transaction on {@link PaymentRefunded} and {@link ChargeDisputed}
 * (and gives them back on a {@link ChargeDisputeClosed} that was won); billing itself never touches the ledger.
 * Amounts are in the currency's minor unit (cents), exact.
 */
public sealed interface BillingEvent
        permits CreditsPurchased, PaymentRefunded, ChargeDisputed, ChargeDisputeClosed, PaymentFailed, InvoicePaid {

    UUID orgId();

    /** The Stripe event that told us (for tracing; the object ids are the idempotency keys). */
    String stripeEventId();

    Instant occurredAt();
}
