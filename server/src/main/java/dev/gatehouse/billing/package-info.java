/**
 * Billing with Stripe: checkout and portal sessions, the signed webhook intake and its durable processing,
 * dunning, mirrored invoices, admin refunds, and the payment events other modules (credits) consume.
 */
@NullMarked
@ApplicationModule(displayName = "Billing")
package dev.gatehouse.billing;

import org.jspecify.annotations.NullMarked;
import org.springframework.modulith.ApplicationModule;
