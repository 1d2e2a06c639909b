package dev.gatehouse.billing;

import com.stripe.StripeClient;
import com.stripe.exception.InvalidRequestException;
import com.stripe.exception.StripeException;
import com.stripe.model.Charge;
import com.stripe.model.Customer;
import com.stripe.model.Invoice;
import com.stripe.model.Refund;
import com.stripe.model.Subscription;
import com.stripe.model.checkout.Session;
import com.stripe.net.RequestOptions;
import com.stripe.param.CustomerCreateParams;
import com.stripe.param.RefundCreateParams;
import com.stripe.param.SubscriptionUpdateParams;
import com.stripe.param.checkout.SessionCreateParams;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

/**
 * Every call Gatehouse makes to Stripe, through the official SDK ({@code stripe-java}, pinned; its API version is
 * the SDK's). Each mutating call carries an idempotency key derived from our own operation id (the organization
 * for its customer, the checkout's or refund's row id), so a retry after a timeout or a crash, by the SDK or by
 * us, never makes a second customer, session or refund.
 */
@Component
class StripeGateway {

    private final StripeSettings stripe;
    private final BillingSettings billing;
    private final @Nullable StripeClient client;

    StripeGateway(StripeSettings stripe, BillingSettings billing) {
        this.stripe = stripe;
        this.billing = billing;
        String key = stripe.secretKey();
        this.client = key == null
                ? null
                : StripeClient.builder()
                        .setApiKey(key)
                        .setApiBase(stripe.apiBase())
                        .setConnectTimeout((int) stripe.connectTimeout().toMillis())
                        .setReadTimeout((int) stripe.readTimeout().toMillis())
                        .setMaxNetworkRetries(stripe.maxNetworkRetries())
                        .build();
    }

    boolean enabled() {
        return client != null;
    }

    private StripeClient client() {
        if (client == null) throw BillingFailures.disabled();
        return client;
    }

    private static RequestOptions idempotent(String key) {
        return RequestOptions.builder().setIdempotencyKey(key).build();
    }

    /** The organization's one customer; the key is the organization, so however often this runs it is one. */
    Customer createCustomer(UUID orgId, String orgName) throws StripeException {
        CustomerCreateParams.Builder params =
                CustomerCreateParams.builder().setName(orgName).putMetadata("org_id", orgId.toString());
        if (!billing.invoice().footer().isBlank()) {
            params.setInvoiceSettings(CustomerCreateParams.InvoiceSettings.builder()
                    .setFooter(billing.invoice().footer())
                    .build());
        }
        return client().customers().create(params.build(), idempotent("gatehouse-customer-" + orgId));
    }

    /** A Checkout session for a plan's subscription. */
    Session subscriptionCheckout(UUID checkoutId, UUID orgId, String customerId, String plan, String priceId)
            throws StripeException {
        SessionCreateParams.SubscriptionData.Builder data = SessionCreateParams.SubscriptionData.builder()
                .putMetadata("org_id", orgId.toString())
                .putMetadata("plan", plan)
                .setProrationBehavior(
                        billing.prorationBehavior().equals("none")
                                ? SessionCreateParams.SubscriptionData.ProrationBehavior.NONE
                                : SessionCreateParams.SubscriptionData.ProrationBehavior.CREATE_PRORATIONS);
        if (!billing.invoice().description().isBlank())
            data.setDescription(billing.invoice().description());
        if (!billing.automaticTax())
            data.addAllDefaultTaxRate(billing.taxRateIds().values().stream().toList());
        SessionCreateParams.Builder params = base(checkoutId, orgId, customerId)
                .setMode(SessionCreateParams.Mode.SUBSCRIPTION)
                .putMetadata("plan", plan)
                .addLineItem(SessionCreateParams.LineItem.builder()
                        .setPrice(priceId)
                        .setQuantity(1L)
                        .build())
                .setSubscriptionData(data.build());
        return client().checkout().sessions().create(params.build(), idempotent("gatehouse-checkout-" + checkoutId));
    }

    /** A Checkout session for a one-time purchase of credit packs. */
    Session creditsCheckout(UUID checkoutId, UUID orgId, String customerId, int packs, long credits)
            throws StripeException {
        SessionCreateParams.LineItem.Builder item = SessionCreateParams.LineItem.builder()
                .setPrice(billing.credits().stripePriceId())
                .setQuantity((long) packs);
        if (!billing.automaticTax())
            item.addAllTaxRate(billing.taxRateIds().values().stream().toList());
        SessionCreateParams.InvoiceCreation.InvoiceData.Builder invoice =
                SessionCreateParams.InvoiceCreation.InvoiceData.builder().putMetadata("org_id", orgId.toString());
        if (!billing.invoice().footer().isBlank())
            invoice.setFooter(billing.invoice().footer());
        if (!billing.invoice().description().isBlank())
            invoice.setDescription(billing.invoice().description());
        SessionCreateParams.Builder params = base(checkoutId, orgId, customerId)
                .setMode(SessionCreateParams.Mode.PAYMENT)
                .putMetadata("credits", Long.toString(credits))
                .addLineItem(item.build())
                .setInvoiceCreation(SessionCreateParams.InvoiceCreation.builder()
                        .setEnabled(true)
                        .setInvoiceData(invoice.build())
                        .build())
                .setPaymentIntentData(SessionCreateParams.PaymentIntentData.builder()
                        .putMetadata("org_id", orgId.toString())
                        .build());
        return client().checkout().sessions().create(params.build(), idempotent("gatehouse-checkout-" + checkoutId));
    }

    private SessionCreateParams.Builder base(UUID checkoutId, UUID orgId, String customerId) {
        SessionCreateParams.Builder params = SessionCreateParams.builder()
                .setCustomer(customerId)
                .setClientReferenceId(orgId.toString())
                .setSuccessUrl(billing.successUrl())
                .setCancelUrl(billing.cancelUrl().toString())
                .putMetadata("org_id", orgId.toString())
                .putMetadata("checkout_id", checkoutId.toString());
        if (billing.automaticTax()) {
            params.setAutomaticTax(SessionCreateParams.AutomaticTax.builder()
                            .setEnabled(true)
                            .build())
                    .setCustomerUpdate(SessionCreateParams.CustomerUpdate.builder()
                            .setAddress(SessionCreateParams.CustomerUpdate.Address.AUTO)
                            .build());
        }
        return params;
    }

    /** Moves a running subscription to another price, prorated as configured (an upgrade or downgrade). */
    Subscription changePrice(UUID operationId, Subscription subscription, String priceId, String plan)
            throws StripeException {
        String itemId = subscription.getItems().getData().getFirst().getId();
        SubscriptionUpdateParams params = SubscriptionUpdateParams.builder()
                .addItem(SubscriptionUpdateParams.Item.builder()
                        .setId(itemId)
                        .setPrice(priceId)
                        .build())
                .putMetadata("plan", plan)
                .setProrationBehavior(SubscriptionUpdateParams.ProrationBehavior.valueOf(
                        billing.prorationBehavior().toUpperCase(Locale.ROOT)))
                .build();
        return client().subscriptions()
                .update(subscription.getId(), params, idempotent("gatehouse-plan-change-" + operationId));
    }

    /** A Customer Portal session; the key is this request's own operation id. */
    com.stripe.model.billingportal.Session portal(UUID operationId, String customerId) throws StripeException {
        var params = com.stripe.param.billingportal.SessionCreateParams.builder()
                .setCustomer(customerId)
                .setReturnUrl(billing.portalReturnUrl().toString())
                .build();
        return client().billingPortal().sessions().create(params, idempotent("gatehouse-portal-" + operationId));
    }

    Optional<Subscription> subscription(String id) throws StripeException {
        return notFoundAsEmpty(() -> client().subscriptions().retrieve(id));
    }

    Optional<Invoice> invoice(String id) throws StripeException {
        return notFoundAsEmpty(() -> client().invoices().retrieve(id));
    }

    Optional<Charge> charge(String id) throws StripeException {
        return notFoundAsEmpty(() -> client().charges().retrieve(id));
    }

    Optional<Session> checkoutSession(String id) throws StripeException {
        return notFoundAsEmpty(() -> client().checkout().sessions().retrieve(id));
    }

    /** The refunds of a charge (a charge's own list is not expanded by default in current API versions). */
    java.util.List<Refund> refundsOf(String chargeId) throws StripeException {
        return client().refunds()
                .list(com.stripe.param.RefundListParams.builder()
                        .setCharge(chargeId)
                        .setLimit(100L)
                        .build())
                .getData();
    }

    /** A refund of a charge (all of it when {@code amount} is null); the key is our refund request's id. */
    Refund refund(UUID requestId, String chargeId, @Nullable Long amount, String reason) throws StripeException {
        RefundCreateParams.Builder params = RefundCreateParams.builder()
                .setCharge(chargeId)
                .setReason(RefundCreateParams.Reason.REQUESTED_BY_CUSTOMER)
                .putMetadata("gatehouse_refund_id", requestId.toString())
                .putMetadata("reason", reason.length() > 500 ? reason.substring(0, 500) : reason);
        if (amount != null) params.setAmount(amount);
        return client().refunds().create(params.build(), idempotent("gatehouse-refund-" + requestId));
    }

    private interface Fetch<T> {
        T get() throws StripeException;
    }

    private static <T> Optional<T> notFoundAsEmpty(Fetch<T> fetch) throws StripeException {
        try {
            return Optional.of(fetch.get());
        } catch (InvalidRequestException e) {
            if (e.getStatusCode() != null && e.getStatusCode() == 404) return Optional.empty();
            throw e;
        }
    }

    StripeSettings settings() {
        return stripe;
    }
}
