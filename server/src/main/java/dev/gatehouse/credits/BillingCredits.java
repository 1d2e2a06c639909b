package dev.gatehouse.credits;

import dev.gatehouse.billing.ChargeDisputeClosed;
import dev.gatehouse.billing.ChargeDisputed;
import dev.gatehouse.billing.CreditsPurchased;
import dev.gatehouse.billing.PaymentRefunded;
import java.math.BigDecimal;
import java.math.RoundingMode;
import org.springframework.modulith.events.ApplicationModuleListener;
import org.springframework.stereotype.Component;

/**
 * Billing's payments move credits: a paid top-up is granted; a refund or a chargeback of it takes back the share of
 * its credits that the money going back paid for, and a chargeback the organization wins gives that share again.
 * Each reacts after billing's commit through the event publication registry (retried, republished after a
 * restart), and each ledger effect is keyed by the Stripe object it comes from, so a redelivery changes nothing.
 */
@Component
class BillingCredits {

    private final CreditGrants grants;

    BillingCredits(CreditGrants grants) {
        this.grants = grants;
    }

    @ApplicationModuleListener
    void on(CreditsPurchased paid) {
        grants.grantPurchase(
                paid.orgId(), BigDecimal.valueOf(paid.credits()), "stripe:" + paid.stripeCheckoutSessionId());
    }

    @ApplicationModuleListener
    void on(PaymentRefunded refund) {
        BigDecimal share = share(refund.creditsBought(), refund.amountMinor(), refund.purchaseAmountMinor());
        if (share.signum() > 0) {
            grants.clawBack(
                    refund.orgId(),
                    share,
                    "stripe:" + refund.stripeRefundId(),
                    "Stripe refund " + refund.stripeRefundId() + " of charge " + refund.stripeChargeId());
        }
    }

    @ApplicationModuleListener
    void on(ChargeDisputed dispute) {
        BigDecimal share = share(dispute.creditsBought(), dispute.amountMinor(), dispute.purchaseAmountMinor());
        if (share.signum() > 0) {
            grants.clawBack(
                    dispute.orgId(),
                    share,
                    "stripe:" + dispute.stripeDisputeId(),
                    "Chargeback " + dispute.stripeDisputeId() + " (" + dispute.reason() + ") of charge "
                            + dispute.stripeChargeId());
        }
    }

    /** A won dispute: the money came back, so do the credits taken when it opened. */
    @ApplicationModuleListener
    void on(ChargeDisputeClosed closed) {
        if (!"won".equals(closed.status())) return;
        BigDecimal share = share(closed.creditsBought(), closed.amountMinor(), closed.purchaseAmountMinor());
        if (share.signum() > 0) {
            grants.grantPurchase(closed.orgId(), share, "stripe:" + closed.stripeDisputeId() + ":won");
        }
    }

    /**
     * The credits that {@code amountMinor} of a top-up of {@code purchaseAmountMinor} paid for, rounded down to the
     * ledger's micro-PT; all of them when the whole purchase (or more) goes back.
     */
    static BigDecimal share(long creditsBought, long amountMinor, long purchaseAmountMinor) {
        if (creditsBought <= 0 || amountMinor <= 0 || purchaseAmountMinor <= 0) return BigDecimal.ZERO;
        if (amountMinor >= purchaseAmountMinor) return BigDecimal.valueOf(creditsBought);
        return BigDecimal.valueOf(creditsBought)
                .multiply(BigDecimal.valueOf(amountMinor))
                .divide(BigDecimal.valueOf(purchaseAmountMinor), 6, RoundingMode.DOWN);
    }
}
