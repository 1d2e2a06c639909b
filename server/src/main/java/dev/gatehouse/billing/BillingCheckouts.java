package dev.gatehouse.billing;

import com.stripe.exception.StripeException;
import com.stripe.model.Customer;
import com.stripe.model.Subscription;
import com.stripe.model.checkout.Session;
import dev.gatehouse.catalog.Catalog;
import dev.gatehouse.catalog.Plan;
import dev.gatehouse.organization.OrgPermission;
import dev.gatehouse.organization.OrgRole;
import dev.gatehouse.organization.OrganizationDirectory;
import dev.gatehouse.organization.PermissionDenied;
import java.time.Clock;
import java.time.Instant;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Checkout and portal sessions for an organization's owners and billing members. The organization's Stripe
 * customer is made on its first checkout, once: the account row is locked while Stripe creates it, and the call's
 * idempotency key is the organization's id, so concurrent first checkouts (on any nodes) wait for one customer.
 * An organization already paying for a plan changes plan in place (Stripe prorates as configured) rather than
 * starting a second subscription.
 */
@Service
class BillingCheckouts {

    /** Stripe statuses of a subscription that is still billed: a plan change updates it. */
    private static final Set<String> RUNNING = Set.of("active", "trialing", "past_due");

    private final StripeGateway stripe;
    private final BillingAccounts accounts;
    private final Payments payments;
    private final OrganizationDirectory organizations;
    private final Catalog catalog;
    private final BillingSettings settings;
    private final StripeEventProcessor processor;
    private final TransactionTemplate tx;
    private final Clock clock;

    BillingCheckouts(
            StripeGateway stripe,
            BillingAccounts accounts,
            Payments payments,
            OrganizationDirectory organizations,
            Catalog catalog,
            BillingSettings settings,
            StripeEventProcessor processor,
            TransactionTemplate tx,
            Clock clock) {
        this.stripe = stripe;
        this.accounts = accounts;
        this.payments = payments;
        this.organizations = organizations;
        this.catalog = catalog;
        this.settings = settings;
        this.processor = processor;
        this.tx = tx;
        this.clock = clock;
    }

    /** What a checkout request turned into: a Checkout page to send the customer to, or a plan changed in place. */
    record Started(
            UUID checkoutId,
            @Nullable String checkoutUrl,
            @Nullable String planChangedTo) {}

    Started subscription(UUID orgId, UUID userId, String planKey) {
        requireBillingMember(orgId, userId);
        Plan plan = catalog.current().plan(planKey).orElseThrow(() -> BillingFailures.unknownPlan(planKey));
        String priceId = plan.stripePriceId();
        if (priceId == null || plan.price().free()) throw BillingFailures.planNotSold(planKey);
        if (!stripe.enabled()) throw BillingFailures.disabled();
        String customer = customerOf(orgId);
        UUID checkoutId = UUID.randomUUID();
        tx.executeWithoutResult(
                s -> payments.insertCheckout(checkoutId, orgId, "subscription", planKey, null, null, userId, now()));
        try {
            BillingAccounts.Account account = accounts.find(orgId).orElseThrow();
            if (account.subscriptionId() != null && RUNNING.contains(account.stripeStatus())) {
                Subscription current =
                        stripe.subscription(account.subscriptionId()).orElse(null);
                if (current != null && RUNNING.contains(current.getStatus())) {
                    Subscription changed = stripe.changePrice(checkoutId, current, priceId, planKey);
                    processor.applySubscription(orgId, changed);
                    return new Started(checkoutId, null, planKey);
                }
            }
            Session session = stripe.subscriptionCheckout(checkoutId, orgId, customer, planKey, priceId);
            tx.executeWithoutResult(s -> payments.setCheckoutSession(checkoutId, session.getId()));
            return new Started(checkoutId, session.getUrl(), null);
        } catch (StripeException e) {
            throw BillingFailures.stripe(e);
        }
    }

    Started credits(UUID orgId, UUID userId, int packs) {
        requireBillingMember(orgId, userId);
        if (settings.credits().stripePriceId().isBlank()) throw BillingFailures.creditsNotSold();
        if (packs > settings.credits().maxPacks())
            throw BillingFailures.tooManyPacks(settings.credits().maxPacks());
        if (!stripe.enabled()) throw BillingFailures.disabled();
        long credits = Math.multiplyExact(packs, settings.credits().perPack());
        String customer = customerOf(orgId);
        UUID checkoutId = UUID.randomUUID();
        tx.executeWithoutResult(
                s -> payments.insertCheckout(checkoutId, orgId, "credits", null, packs, credits, userId, now()));
        try {
            Session session = stripe.creditsCheckout(checkoutId, orgId, customer, packs, credits);
            tx.executeWithoutResult(s -> payments.setCheckoutSession(checkoutId, session.getId()));
            return new Started(checkoutId, session.getUrl(), null);
        } catch (StripeException e) {
            throw BillingFailures.stripe(e);
        }
    }

    String portal(UUID orgId, UUID userId) {
        requireBillingMember(orgId, userId);
        if (!stripe.enabled()) throw BillingFailures.disabled();
        String customer =
                accounts.find(orgId).map(BillingAccounts.Account::customerId).orElseThrow(BillingFailures::noCustomer);
        try {
            return stripe.portal(UUID.randomUUID(), customer).getUrl();
        } catch (StripeException e) {
            throw BillingFailures.stripe(e);
        }
    }

    /** 404 for a non-member (as every organization route), 403 for a member without {@code billing.manage}. */
    OrgRole requireBillingMember(UUID orgId, UUID userId) {
        OrgRole role = organizations.roleOf(orgId, userId).orElseThrow(BillingFailures::orgNotFound);
        if (!OrgPermission.BILLING_MANAGE.permits(role)) throw new PermissionDenied(OrgPermission.BILLING_MANAGE);
        return role;
    }

    /**
     * The organization's Stripe customer, made now if it has none. The account row stays locked during the call to
     * Stripe, so a concurrent first checkout waits and then finds the customer; should the call fail or this node
     * die after Stripe made the customer, the next try sends the same idempotency key and gets the same customer.
     */
    String customerOf(UUID orgId) {
        String known =
                accounts.find(orgId).map(BillingAccounts.Account::customerId).orElse(null);
        if (known != null) return known;
        return Objects.requireNonNull(tx.execute(s -> {
            BillingAccounts.Account account = accounts.lockOrCreate(orgId, now());
            if (account.customerId() != null) return account.customerId();
            String name = organizations.name(orgId).orElseThrow(BillingFailures::orgNotFound);
            try {
                Customer customer = stripe.createCustomer(orgId, name);
                accounts.setCustomer(orgId, customer.getId(), now());
                return customer.getId();
            } catch (StripeException e) {
                throw BillingFailures.stripe(e);
            }
        }));
    }

    private Instant now() {
        return clock.instant();
    }
}
