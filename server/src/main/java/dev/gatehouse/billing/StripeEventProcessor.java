package dev.gatehouse.billing;

import com.stripe.exception.StripeException;
import com.stripe.model.Charge;
import com.stripe.model.Invoice;
import com.stripe.model.Refund;
import com.stripe.model.Subscription;
import com.stripe.model.SubscriptionItem;
import com.stripe.model.checkout.Session;
import dev.gatehouse.audit.AuditEntry;
import dev.gatehouse.audit.AuditLog;
import dev.gatehouse.catalog.Catalog;
import dev.gatehouse.catalog.Plan;
import dev.gatehouse.jobs.PermanentJobFailure;
import dev.gatehouse.subscription.BillingSubscriptions;
import dev.gatehouse.subscription.CurrentPlan;
import dev.gatehouse.subscription.SubscriptionState;
import java.time.Clock;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Processes one stored Stripe event (in the event's job, at least once). Stripe delivers events late, twice and
 * out of order, so no handler trusts the event's copy of the object: it takes the object's id and fetches the
 * object from the API, which is Stripe's state now, and applies that. An old event processed after a newer one
 * then applies the same (newest) state again, and never undoes the newer one. Facts that must happen once (credits
 * bought, a refund, a dispute) are recorded under the Stripe object's id in the transaction that publishes their
 * event, so a second delivery or a retry finds the record and publishes nothing.
 */
@Service
class StripeEventProcessor {

    private static final Logger log = LoggerFactory.getLogger(StripeEventProcessor.class);
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final StripeGateway stripe;
    private final StripeEvents events;
    private final BillingAccounts accounts;
    private final Invoices invoices;
    private final Payments payments;
    private final BillingSubscriptions subscriptions;
    private final Catalog catalog;
    private final DunningMail mail;
    private final BillingSettings settings;
    private final ApplicationEventPublisher publisher;
    private final AuditLog audit;
    private final TransactionTemplate tx;
    private final Clock clock;

    StripeEventProcessor(
            StripeGateway stripe,
            StripeEvents events,
            BillingAccounts accounts,
            Invoices invoices,
            Payments payments,
            BillingSubscriptions subscriptions,
            Catalog catalog,
            DunningMail mail,
            BillingSettings settings,
            ApplicationEventPublisher publisher,
            AuditLog audit,
            TransactionTemplate tx,
            Clock clock) {
        this.stripe = stripe;
        this.events = events;
        this.accounts = accounts;
        this.invoices = invoices;
        this.payments = payments;
        this.subscriptions = subscriptions;
        this.catalog = catalog;
        this.mail = mail;
        this.settings = settings;
        this.publisher = publisher;
        this.audit = audit;
        this.tx = tx;
        this.clock = clock;
    }

    /** Processes the stored event; a processed one is left alone (the job may run twice). */
    void process(String eventId) throws StripeException {
        StripeEvents.StoredEvent stored =
                events.find(eventId).orElseThrow(() -> new PermanentJobFailure("No stored Stripe event " + eventId));
        if (stored.state() == StripeEvents.State.PROCESSED || stored.state() == StripeEvents.State.IGNORED) return;
        JsonNode object = JSON.readTree(stored.payload()).path("data").path("object");
        String id = text(object, "id");
        if (id == null) throw new PermanentJobFailure("Stripe event " + eventId + " has no data.object.id");
        boolean handled = switch (stored.type()) {
            case "checkout.session.completed" -> checkoutCompleted(id, eventId);
            case "customer.subscription.created", "customer.subscription.updated", "customer.subscription.deleted" ->
                subscriptionChanged(id, object);
            case "invoice.paid", "invoice.payment_failed" -> invoiceChanged(id, eventId);
            case "charge.refunded" -> chargeRefunded(id, eventId);
            case "charge.dispute.created" -> disputed(object, eventId, /* closed= */ false);
            case "charge.dispute.closed" -> disputed(object, eventId, /* closed= */ true);
            default -> false;
        };
        events.mark(eventId, handled ? StripeEvents.State.PROCESSED : StripeEvents.State.IGNORED, clock.instant());
    }

    private boolean checkoutCompleted(String sessionId, String eventId) throws StripeException {
        Session session = stripe.checkoutSession(sessionId).orElse(null);
        if (session == null) return false;
        UUID orgId = orgOfSession(session);
        if (orgId == null) return false;
        if ("subscription".equals(session.getMode())) {
            String subscriptionId = session.getSubscription();
            if (subscriptionId == null) return false;
            Subscription subscription = stripe.subscription(subscriptionId).orElse(null);
            if (subscription == null) return false;
            applySubscription(orgId, subscription);
            return true;
        }
        if (!"payment".equals(session.getMode()) || !"paid".equals(session.getPaymentStatus())) return false;
        Long credits = creditsOf(session, orgId);
        if (credits == null) return false;
        tx.executeWithoutResult(s -> {
            Instant now = clock.instant();
            long amount = Objects.requireNonNullElse(session.getAmountTotal(), 0L);
            String currency = Objects.requireNonNullElse(session.getCurrency(), "usd");
            if (payments.recordCreditPurchase(
                    session.getId(), orgId, credits, amount, currency, session.getPaymentIntent(), eventId, now)) {
                publisher.publishEvent(new CreditsPurchased(
                        orgId, credits, amount, currency, session.getId(), session.getPaymentIntent(), eventId, now));
            }
        });
        return true;
    }

    private @Nullable UUID orgOfSession(Session session) {
        String ref = session.getClientReferenceId();
        if (ref == null && session.getMetadata() != null)
            ref = session.getMetadata().get("org_id");
        UUID orgId = uuid(ref);
        if (orgId == null)
            return session.getCustomer() == null
                    ? null
                    : accounts.orgOfCustomer(session.getCustomer()).orElse(null);
        // The session names our organization; its customer must be that organization's (never another's).
        String customer = session.getCustomer();
        Optional<UUID> owner = customer == null ? Optional.empty() : accounts.orgOfCustomer(customer);
        return owner.isPresent() && !owner.get().equals(orgId) ? null : orgId;
    }

    private @Nullable Long creditsOf(Session session, UUID orgId) {
        UUID checkoutId = session.getMetadata() == null
                ? null
                : uuid(session.getMetadata().get("checkout_id"));
        if (checkoutId == null) return null;
        // The amount of credits is ours (the checkout row), not the session's metadata.
        return payments.checkoutCredits(checkoutId, orgId).orElse(null);
    }

    private boolean subscriptionChanged(String subscriptionId, JsonNode object) throws StripeException {
        Subscription subscription = stripe.subscription(subscriptionId).orElse(null);
        if (subscription == null) return false;
        UUID orgId = orgOf(
                subscription.getCustomer(),
                subscription.getMetadata() == null
                        ? null
                        : subscription.getMetadata().get("org_id"));
        if (orgId == null) return false;
        applySubscription(orgId, subscription);
        return true;
    }

    private boolean invoiceChanged(String invoiceId, String eventId) throws StripeException {
        Invoice invoice = stripe.invoice(invoiceId).orElse(null);
        if (invoice == null) return false;
        UUID orgId = orgOf(invoice.getCustomer(), null);
        if (orgId == null) return false;
        String subscriptionId =
                invoice.getParent() == null || invoice.getParent().getSubscriptionDetails() == null
                        ? null
                        : invoice.getParent().getSubscriptionDetails().getSubscription();
        Subscription subscription = subscriptionId == null
                ? null
                : stripe.subscription(subscriptionId).orElse(null);
        tx.executeWithoutResult(s -> {
            Instant now = clock.instant();
            invoices.upsert(orgId, invoice, now);
            String currency = Objects.requireNonNullElse(invoice.getCurrency(), "usd");
            if ("paid".equals(invoice.getStatus())) {
                long paid = Objects.requireNonNullElse(invoice.getAmountPaid(), 0L);
                if (payments.recordAdjustment(
                        invoice.getId(),
                        "invoice_paid",
                        orgId,
                        invoice.getId(),
                        paid,
                        currency,
                        "paid",
                        eventId,
                        now)) {
                    publisher.publishEvent(new InvoicePaid(orgId, invoice.getId(), paid, currency, eventId, now));
                }
            } else if ("open".equals(invoice.getStatus())
                    && invoice.getAttemptCount() != null
                    && invoice.getAttemptCount() > 0) {
                long due = Objects.requireNonNullElse(invoice.getAmountDue(), 0L);
                long attempt = invoice.getAttemptCount();
                if (payments.recordAdjustment(
                        invoice.getId() + ":" + attempt,
                        "payment_failed",
                        orgId,
                        invoice.getId(),
                        due,
                        currency,
                        "open",
                        eventId,
                        now)) {
                    publisher.publishEvent(
                            new PaymentFailed(orgId, invoice.getId(), due, currency, attempt, eventId, now));
                }
            }
            if (subscription != null) applySubscription(orgId, subscription);
        });
        return true;
    }

    private boolean chargeRefunded(String chargeId, String eventId) throws StripeException {
        Charge charge = stripe.charge(chargeId).orElse(null);
        if (charge == null) return false;
        UUID orgId = orgOf(charge.getCustomer(), null);
        if (orgId == null) return false;
        var refunds = stripe.refundsOf(chargeId);
        tx.executeWithoutResult(s -> {
            Instant now = clock.instant();
            for (Refund refund : refunds) {
                if (!"succeeded".equals(refund.getStatus()) && !"pending".equals(refund.getStatus())) continue;
                long amount = Objects.requireNonNullElse(refund.getAmount(), 0L);
                String currency = Objects.requireNonNullElse(refund.getCurrency(), "usd");
                if (payments.recordAdjustment(
                        refund.getId(),
                        "refund",
                        orgId,
                        chargeId,
                        amount,
                        currency,
                        refund.getStatus(),
                        eventId,
                        now)) {
                    var bought = payments.creditPurchaseOf(charge.getPaymentIntent());
                    publisher.publishEvent(new PaymentRefunded(
                            orgId,
                            refund.getId(),
                            chargeId,
                            charge.getPaymentIntent(),
                            amount,
                            Objects.requireNonNullElse(charge.getAmount(), 0L),
                            currency,
                            bought.map(Payments.CreditPurchase::credits).orElse(0L),
                            bought.map(Payments.CreditPurchase::amountMinor).orElse(0L),
                            eventId,
                            now));
                    audit.record(AuditEntry.system("billing.refunded")
                            .target("organization", orgId)
                            .detail("refund", refund.getId())
                            .detail("charge", chargeId)
                            .detail("amount_minor", amount)
                            .detail("currency", currency));
                }
            }
        });
        return true;
    }

    /** A dispute's own facts (amount, reason, status) are fixed when it opens or closes: the event's copy is them. */
    private boolean disputed(JsonNode dispute, String eventId, boolean closed) throws StripeException {
        String disputeId = Objects.requireNonNull(text(dispute, "id"));
        String chargeId = text(dispute, "charge");
        if (chargeId == null) return false;
        Charge charge = stripe.charge(chargeId).orElse(null);
        if (charge == null) return false;
        UUID orgId = orgOf(charge.getCustomer(), null);
        if (orgId == null) return false;
        long amount = dispute.path("amount").asLong(0);
        String currency = Objects.requireNonNullElse(text(dispute, "currency"), "usd");
        String status = Objects.requireNonNullElse(text(dispute, "status"), closed ? "lost" : "needs_response");
        String reason = Objects.requireNonNullElse(text(dispute, "reason"), "general");
        tx.executeWithoutResult(s -> {
            Instant now = clock.instant();
            String kind = closed ? "dispute_closed" : "dispute_created";
            if (!payments.recordAdjustment(disputeId, kind, orgId, chargeId, amount, currency, status, eventId, now)) {
                return;
            }
            var bought = payments.creditPurchaseOf(charge.getPaymentIntent());
            long creditsBought = bought.map(Payments.CreditPurchase::credits).orElse(0L);
            long purchaseAmount =
                    bought.map(Payments.CreditPurchase::amountMinor).orElse(0L);
            publisher.publishEvent(
                    closed
                            ? new ChargeDisputeClosed(
                                    orgId,
                                    disputeId,
                                    chargeId,
                                    charge.getPaymentIntent(),
                                    amount,
                                    currency,
                                    status,
                                    creditsBought,
                                    purchaseAmount,
                                    eventId,
                                    now)
                            : new ChargeDisputed(
                                    orgId,
                                    disputeId,
                                    chargeId,
                                    charge.getPaymentIntent(),
                                    amount,
                                    currency,
                                    reason,
                                    creditsBought,
                                    purchaseAmount,
                                    eventId,
                                    now));
            audit.record(AuditEntry.system(closed ? "billing.dispute_closed" : "billing.dispute_opened")
                    .target("organization", orgId)
                    .detail("dispute", disputeId)
                    .detail("charge", chargeId)
                    .detail("amount_minor", amount)
                    .detail("currency", currency)
                    .detail(closed ? "status" : "reason", closed ? status : reason));
        });
        return true;
    }

    /**
     * Applies a subscription as Stripe has it now: the account's record of it, the organization's plan, state and
     * period (through the subscription module), and the dunning step that follows from its status.
     */
    void applySubscription(UUID orgId, Subscription subscription) {
        SubscriptionItem item = subscription.getItems() == null
                        || subscription.getItems().getData().isEmpty()
                ? null
                : subscription.getItems().getData().getFirst();
        if (item == null) return;
        String plan = planOf(item, subscription);
        Instant start = Invoices.epoch(item.getCurrentPeriodStart());
        Instant end = Invoices.epoch(item.getCurrentPeriodEnd());
        String status = Objects.requireNonNullElse(subscription.getStatus(), "incomplete");
        tx.executeWithoutResult(s -> {
            Instant now = clock.instant();
            BillingAccounts.Account account = accounts.lockOrCreate(orgId, now);
            if (account.customerId() == null && subscription.getCustomer() != null) {
                accounts.setCustomer(orgId, subscription.getCustomer(), now);
            }
            accounts.setSubscription(orgId, subscription.getId(), status, end, now);
            SubscriptionState state = switch (status) {
                case "active" -> SubscriptionState.ACTIVE;
                case "trialing" -> SubscriptionState.TRIALING;
                case "past_due", "unpaid" -> SubscriptionState.PAST_DUE;
                case "canceled", "incomplete_expired" -> SubscriptionState.CANCELED;
                default -> null; // incomplete, paused: nothing to apply yet
            };
            if (state == null || plan == null || start == null || end == null) {
                log.info(
                        "billing_subscription_not_applied org={} subscription={} status={} plan={}",
                        orgId,
                        subscription.getId(),
                        status,
                        plan);
                return;
            }
            CurrentPlan applied =
                    subscriptions.applyBilled(orgId, plan, state, start, end).orElse(null);
            if (applied == null) return;
            dunning(orgId, account, applied.state(), now);
        });
    }

    /** Starts dunning when the subscription became past due, ends it when it is paid up again. */
    private void dunning(UUID orgId, BillingAccounts.Account account, SubscriptionState now, Instant at) {
        if (now == SubscriptionState.PAST_DUE && account.dunningStage() == null) {
            accounts.setDunning(orgId, BillingAccounts.DunningStage.PAST_DUE, at);
            mail.send(
                    orgId, DunningMail.Step.PAST_DUE, at.plus(settings.dunning().pastDue()));
        } else if ((now == SubscriptionState.ACTIVE || now == SubscriptionState.TRIALING)
                && account.dunningStage() != null) {
            accounts.setDunning(orgId, null, at);
            mail.send(orgId, DunningMail.Step.RECOVERED, at);
        } else if (now == SubscriptionState.CANCELED && account.dunningStage() != null) {
            accounts.setDunning(orgId, null, at);
        }
    }

    private @Nullable String planOf(SubscriptionItem item, Subscription subscription) {
        String priceId = item.getPrice() == null ? null : item.getPrice().getId();
        if (priceId != null) {
            for (Plan p : catalog.current().plans().values()) {
                if (priceId.equals(p.stripePriceId())) return p.key();
            }
        }
        String named = subscription.getMetadata() == null
                ? null
                : subscription.getMetadata().get("plan");
        return named != null && catalog.current().plan(named).isPresent() ? named : null;
    }

    private @Nullable UUID orgOf(@Nullable String customerId, @Nullable String orgHint) {
        if (customerId != null) {
            Optional<UUID> org = accounts.orgOfCustomer(customerId);
            if (org.isPresent()) return org.get();
        }
        // A customer we never made is not ours to act on, whatever its metadata says.
        if (orgHint != null) log.info("billing_unknown_customer customer={} org_hint={}", customerId, orgHint);
        return null;
    }

    private static @Nullable String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v == null || v.isNull() ? null : v.asString();
    }

    private static @Nullable UUID uuid(@Nullable String s) {
        if (s == null) return null;
        try {
            return UUID.fromString(s);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
