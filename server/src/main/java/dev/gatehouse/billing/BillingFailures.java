package dev.gatehouse.billing;

import com.stripe.exception.StripeException;
import dev.gatehouse.platform.ApiException;
import dev.gatehouse.platform.Problems;
import org.springframework.http.HttpStatus;

/** The billing module's problems. */
final class BillingFailures {

    private BillingFailures() {}

    /** The same problem as every organization route's for a non-member or a missing organization. */
    static ApiException orgNotFound() {
        return Problems.notFound("Organization");
    }

    /** No Stripe secret key is configured: billing is off on this installation. */
    static ApiException disabled() {
        return Problems.conflict(
                "billing_disabled",
                "Billing is not set up on this installation (GATEHOUSE_STRIPE_SECRET_KEY is not set).");
    }

    static ApiException unknownPlan(String plan) {
        return Problems.invalid("unknown_plan", "There is no plan '" + plan + "'.");
    }

    static ApiException planNotSold(String plan) {
        return Problems.invalid(
                "plan_not_sold", "The plan '" + plan + "' has no Stripe price: it is not sold through checkout.");
    }

    static ApiException creditsNotSold() {
        return Problems.conflict(
                "credits_not_sold", "Credit top-ups are not set up (gatehouse.billing.credits.stripe-price-id).");
    }

    static ApiException tooManyPacks(int max) {
        return Problems.invalid("too_many_packs", "One checkout buys at most " + max + " packs.");
    }

    static ApiException noCustomer() {
        return Problems.conflict(
                "no_billing_customer", "The organization has no billing account yet: start with a checkout.");
    }

    static ApiException unknownCharge(String charge) {
        return Problems.of(
                HttpStatus.NOT_FOUND,
                "charge_not_found",
                "Not found",
                "No charge '" + charge + "' of this organization is known to Stripe.");
    }

    static ApiException badSignature(String detail) {
        return Problems.badRequest("invalid_signature", detail);
    }

    static ApiException badEvent(String detail) {
        return Problems.badRequest("invalid_event", detail);
    }

    /** Stripe refused or could not be reached: 502, with Stripe's own message (it holds no secret). */
    static ApiException stripe(StripeException e) {
        Integer status = e.getStatusCode();
        if (status != null && status >= 400 && status < 500 && status != 429) {
            return Problems.invalid("stripe_rejected", "Stripe refused the request: " + e.getMessage());
        }
        return Problems.of(
                HttpStatus.BAD_GATEWAY, "stripe_unavailable", "Bad gateway", "Stripe could not be reached; try again.");
    }
}
