package dev.gatehouse.billing;

import static dev.gatehouse.platform.Timestamps.utc;

import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * Billing's records of money moving: checkouts started, credit purchases paid, refunds and disputes seen, refunds
 * asked for. Each "record once" insert answers whether it was the first, which is what makes the event it
 * guards publish exactly once.
 */
@Repository
class Payments {

    private final JdbcClient db;

    Payments(JdbcClient db) {
        this.db = db;
    }

    void insertCheckout(
            UUID id,
            UUID orgId,
            String kind,
            @Nullable String plan,
            @Nullable Integer packs,
            @Nullable Long credits,
            UUID by,
            Instant now) {
        db.sql("""
                        insert into billing_checkouts (id, org_id, kind, plan, packs, credits, created_by, created_at)
                        values (:id, :org, :kind, :plan, :packs, :credits, :by, :now)
                        """)
                .param("id", id)
                .param("org", orgId)
                .param("kind", kind)
                .param("plan", plan)
                .param("packs", packs)
                .param("credits", credits)
                .param("by", by)
                .param("now", utc(now))
                .update();
    }

    void setCheckoutSession(UUID id, String sessionId) {
        db.sql("update billing_checkouts set stripe_session_id = :s where id = :id")
                .param("s", sessionId)
                .param("id", id)
                .update();
    }

    /** The credits a checkout of ours bought, by its id (from the session's metadata). */
    Optional<Long> checkoutCredits(UUID checkoutId, UUID orgId) {
        return db.sql("select credits from billing_checkouts where id = :id and org_id = :org and kind = 'credits'")
                .param("id", checkoutId)
                .param("org", orgId)
                .query(Long.class)
                .optional();
    }

    /** What a credit top-up paid with the payment bought: its credits and what it cost; empty for other payments. */
    record CreditPurchase(long credits, long amountMinor) {}

    Optional<CreditPurchase> creditPurchaseOf(@Nullable String paymentIntentId) {
        if (paymentIntentId == null) return Optional.empty();
        return db.sql("select credits, amount_minor from billing_credit_purchases where payment_intent_id = :pi")
                .param("pi", paymentIntentId)
                .query((rs, n) -> new CreditPurchase(rs.getLong("credits"), rs.getLong("amount_minor")))
                .optional();
    }

    boolean recordCreditPurchase(
            String sessionId,
            UUID orgId,
            long credits,
            long amountMinor,
            String currency,
            @Nullable String paymentIntentId,
            String eventId,
            Instant now) {
        return db.sql("""
                        insert into billing_credit_purchases (stripe_session_id, org_id, credits, amount_minor,
                            currency, payment_intent_id, stripe_event_id, created_at)
                        values (:s, :org, :credits, :amount, :currency, :pi, :event, :now)
                        on conflict (stripe_session_id) do nothing
                        """)
                        .param("s", sessionId)
                        .param("org", orgId)
                        .param("credits", credits)
                        .param("amount", amountMinor)
                        .param("currency", currency)
                        .param("pi", paymentIntentId)
                        .param("event", eventId)
                        .param("now", utc(now))
                        .update()
                == 1;
    }

    /** Records a refund or dispute step once; true the first time. */
    boolean recordAdjustment(
            String id,
            String kind,
            UUID orgId,
            String chargeId,
            long amountMinor,
            String currency,
            String status,
            String eventId,
            Instant now) {
        return db.sql("""
                        insert into billing_adjustments (id, kind, org_id, charge_id, amount_minor, currency, status,
                            stripe_event_id, created_at)
                        values (:id, :kind, :org, :charge, :amount, :currency, :status, :event, :now)
                        on conflict (id, kind) do nothing
                        """)
                        .param("id", id)
                        .param("kind", kind)
                        .param("org", orgId)
                        .param("charge", chargeId)
                        .param("amount", amountMinor)
                        .param("currency", currency)
                        .param("status", status)
                        .param("event", eventId)
                        .param("now", utc(now))
                        .update()
                == 1;
    }

    void insertRefundRequest(
            UUID id, UUID orgId, String chargeId, @Nullable Long amount, String reason, UUID by, Instant now) {
        db.sql("""
                        insert into billing_refund_requests (id, org_id, charge_id, amount_minor, reason, status,
                            requested_by, created_at)
                        values (:id, :org, :charge, :amount, :reason, 'requested', :by, :now)
                        """)
                .param("id", id)
                .param("org", orgId)
                .param("charge", chargeId)
                .param("amount", amount)
                .param("reason", reason)
                .param("by", by)
                .param("now", utc(now))
                .update();
    }

    void completeRefundRequest(UUID id, String refundId, String status) {
        db.sql("update billing_refund_requests set stripe_refund_id = :r, status = :s where id = :id")
                .param("r", refundId)
                .param("s", status)
                .param("id", id)
                .update();
    }
}
