package dev.gatehouse.billing;

import com.stripe.exception.StripeException;
import com.stripe.model.Charge;
import com.stripe.model.Refund;
import dev.gatehouse.audit.AuditEntry;
import dev.gatehouse.audit.AuditLog;
import dev.gatehouse.organization.OrganizationDirectory;
import dev.gatehouse.platform.Caller;
import java.time.Clock;
import java.util.Objects;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * An admin's refund of one of an organization's charges. The request is recorded and audited first; its row id
 * is the Stripe idempotency key, so a retried request never refunds twice. What the refund does to credits follows
 * from Stripe's {@code charge.refunded} event ({@link PaymentRefunded}), as for a refund made in Stripe's dashboard.
 */
@Service
class Refunds {

    record Requested(UUID id, String stripeRefundId, String status, long amountMinor, String currency) {}

    private final StripeGateway stripe;
    private final BillingAccounts accounts;
    private final Payments payments;
    private final OrganizationDirectory organizations;
    private final AuditLog audit;
    private final TransactionTemplate tx;
    private final Clock clock;

    Refunds(
            StripeGateway stripe,
            BillingAccounts accounts,
            Payments payments,
            OrganizationDirectory organizations,
            AuditLog audit,
            TransactionTemplate tx,
            Clock clock) {
        this.stripe = stripe;
        this.accounts = accounts;
        this.payments = payments;
        this.organizations = organizations;
        this.audit = audit;
        this.tx = tx;
        this.clock = clock;
    }

    Requested refund(UUID orgId, Caller admin, String chargeId, @Nullable Long amount, String reason) {
        if (!organizations.exists(orgId)) throw BillingFailures.orgNotFound();
        if (!stripe.enabled()) throw BillingFailures.disabled();
        String customer = accounts.find(orgId)
                .map(BillingAccounts.Account::customerId)
                .orElseThrow(() -> BillingFailures.unknownCharge(chargeId));
        try {
            Charge charge = stripe.charge(chargeId).orElseThrow(() -> BillingFailures.unknownCharge(chargeId));
            // Only a charge of this organization's customer: an admin cannot refund another's by mistake.
            if (!customer.equals(charge.getCustomer())) throw BillingFailures.unknownCharge(chargeId);
            UUID id = UUID.randomUUID();
            tx.executeWithoutResult(s -> {
                payments.insertRefundRequest(id, orgId, chargeId, amount, reason, admin.userId(), clock.instant());
                audit.record(AuditEntry.by(admin, "billing.refund_requested")
                        .target("organization", orgId)
                        .detail("refund_request", id)
                        .detail("charge", chargeId)
                        .detail("amount_minor", amount)
                        .detail("reason", reason));
            });
            Refund refund = stripe.refund(id, chargeId, amount, reason);
            String status = Objects.requireNonNullElse(refund.getStatus(), "pending");
            tx.executeWithoutResult(s -> payments.completeRefundRequest(id, refund.getId(), status));
            return new Requested(
                    id,
                    refund.getId(),
                    status,
                    Objects.requireNonNullElse(refund.getAmount(), 0L),
                    Objects.requireNonNullElse(refund.getCurrency(), "usd"));
        } catch (StripeException e) {
            throw BillingFailures.stripe(e);
        }
    }
}
