package dev.gatehouse.billing;

import dev.gatehouse.platform.CallerAuthentication;
import dev.gatehouse.platform.Page;
import dev.gatehouse.platform.PageCursor;
import dev.gatehouse.platform.Permission;
import dev.gatehouse.platform.RequiresPermission;
import io.swagger.v3.oas.annotations.Operation;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.validation.annotation.Validated;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** An organization's billing for its owners and billing members: checkout, the customer portal, invoices. */
@RequiresPermission(Permission.SIGNED_IN)
@RestController
@Validated
class BillingController {

    private final BillingCheckouts checkouts;
    private final Invoices invoices;

    BillingController(BillingCheckouts checkouts, Invoices invoices) {
        this.checkouts = checkouts;
        this.invoices = invoices;
    }

    /**
     * A checkout request.
     *
     * @param type {@code subscription} (a plan) or {@code credits} (a one-time top-up)
     * @param plan the plan to subscribe to (subscription)
     * @param packs how many credit packs to buy (credits)
     */
    record CheckoutRequest(
            @NotNull @Pattern(regexp = "subscription|credits", message = "must be subscription or credits")
            String type,

            @Nullable @Pattern(regexp = "[a-z][a-z0-9_]{0,63}", message = "must be a plan key such as pro")
            String plan,

            @Nullable @Min(1) @Max(1000) Integer packs) {}

    /**
     * @param checkoutUrl where to send the customer (Stripe Checkout); null when an existing subscription changed plan
     *     in place
     * @param planChangedTo the plan an existing subscription moved to at once (prorated as configured)
     */
    record CheckoutView(
            UUID checkoutId,
            String type,
            @Nullable String checkoutUrl,
            @Nullable String planChangedTo) {}

    @Operation(
            operationId = "startCheckout",
            summary =
                    "Start a Stripe Checkout for a plan or a credit top-up (billing.manage: owners and billing members)",
            description = "Answers checkout_url, the Stripe-hosted page to send the customer to; the plan or credits"
                    + " apply when Stripe confirms the payment (webhook). An organization already paying for a plan"
                    + " changes plan in place instead (checkout_url null, plan_changed_to set). 422 unknown_plan,"
                    + " plan_not_sold, validation_failed; 409 billing_disabled, credits_not_sold.")
    @PostMapping(
            path = "/api/v1/orgs/{org}/billing/checkout",
            consumes = "application/json",
            produces = "application/json")
    CheckoutView checkout(@PathVariable UUID org, @Valid @RequestBody CheckoutRequest body) {
        UUID user = CallerAuthentication.current().userId();
        if (body.type().equals("subscription")) {
            if (body.plan() == null) {
                throw dev.gatehouse.platform.Problems.invalid(
                        "validation_failed", "plan is required for a subscription");
            }
            BillingCheckouts.Started s = checkouts.subscription(org, user, body.plan());
            return new CheckoutView(s.checkoutId(), body.type(), s.checkoutUrl(), s.planChangedTo());
        }
        if (body.packs() == null) {
            throw dev.gatehouse.platform.Problems.invalid("validation_failed", "packs is required for credits");
        }
        BillingCheckouts.Started s = checkouts.credits(org, user, body.packs());
        return new CheckoutView(s.checkoutId(), body.type(), s.checkoutUrl(), null);
    }

    record PortalView(String portalUrl) {}

    @Operation(
            operationId = "openBillingPortal",
            summary = "Open the Stripe Customer Portal (billing.manage: owners and billing members)",
            description = "Payment methods, invoices, cancellation, in Stripe's hosted portal. 409 no_billing_customer"
                    + " before the organization's first checkout; 409 billing_disabled.")
    @PostMapping(path = "/api/v1/orgs/{org}/billing/portal", produces = "application/json")
    PortalView portal(@PathVariable UUID org) {
        return new PortalView(
                checkouts.portal(org, CallerAuthentication.current().userId()));
    }

    /** One invoice; amounts in the currency's minor unit (cents). */
    record InvoiceView(
            String id,
            @Nullable String number,
            String status,
            String currency,
            long amountDue,
            long amountPaid,
            long total,
            @Nullable String hostedInvoiceUrl,
            @Nullable String invoicePdf,
            @Nullable Instant periodStart,
            @Nullable Instant periodEnd,
            Instant created) {

        static InvoiceView of(Invoices.MirroredInvoice i) {
            return new InvoiceView(
                    i.id(),
                    i.number(),
                    i.status(),
                    i.currency(),
                    i.amountDue(),
                    i.amountPaid(),
                    i.total(),
                    i.hostedInvoiceUrl(),
                    i.invoicePdf(),
                    i.periodStart(),
                    i.periodEnd(),
                    i.created());
        }
    }

    record InvoicePage(List<InvoiceView> data, @Nullable String nextCursor) {}

    @Operation(
            operationId = "listInvoices",
            summary = "The organization's invoices, newest first (billing.manage: owners and billing members)",
            description = "Mirrored from Stripe as its webhooks arrive, with links to Stripe's hosted invoice page"
                    + " and PDF.")
    @GetMapping(path = "/api/v1/orgs/{org}/invoices", produces = "application/json")
    InvoicePage invoices(
            @PathVariable UUID org,
            @RequestParam(defaultValue = "50") @Min(1) @Max(200) int limit,
            @RequestParam(required = false) @Size(max = 200) @Nullable String cursor) {
        checkouts.requireBillingMember(org, CallerAuthentication.current().userId());
        Page<Invoices.MirroredInvoice> page =
                invoices.page(org, cursor == null ? null : PageCursor.decode(cursor), limit);
        return new InvoicePage(page.items().stream().map(InvoiceView::of).toList(), page.nextCursor());
    }
}
