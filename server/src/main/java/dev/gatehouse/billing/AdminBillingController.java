package dev.gatehouse.billing;

import dev.gatehouse.platform.CallerAuthentication;
import dev.gatehouse.platform.Permission;
import dev.gatehouse.platform.RequiresPermission;
import io.swagger.v3.oas.annotations.Operation;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** Admin refunds of an organization's Stripe charges (audited). */
@RestController
class AdminBillingController {

    private final Refunds refunds;

    AdminBillingController(Refunds refunds) {
        this.refunds = refunds;
    }

    /**
     * @param charge the Stripe charge ({@code ch_...})
     * @param amount the amount to refund in the currency's minor unit; the whole charge when absent
     * @param reason why, for the audit log
     */
    record RefundRequest(
            @NotNull @Pattern(regexp = "ch_[A-Za-z0-9_]{1,250}", message = "must be a Stripe charge id")
            String charge,

            @Nullable @Min(1) Long amount,

            @NotNull @Size(min = 3, max = 500) @Pattern(regexp = "(?s).*\\S.*", message = "must not be blank")
            String reason) {}

    record RefundView(UUID id, String stripeRefundId, String status, long amount, String currency) {}

    @Operation(
            operationId = "refundCharge",
            summary = "Refund an organization's charge (billing.refund, audited)",
            description = "Refunds through Stripe with our request id as the idempotency key; credits bought with"
                    + " the charge are clawed back when Stripe's charge.refunded arrives. 404 for an unknown"
                    + " organization or a charge that is not its; 409 billing_disabled; 422 stripe_rejected.")
    @PostMapping(
            path = "/api/v1/admin/orgs/{org}/refunds",
            consumes = "application/json",
            produces = "application/json")
    @ResponseStatus(HttpStatus.CREATED)
    @RequiresPermission(Permission.BILLING_REFUND)
    RefundView refund(@PathVariable UUID org, @Valid @RequestBody RefundRequest body) {
        Refunds.Requested r = refunds.refund(
                org,
                CallerAuthentication.current(),
                body.charge(),
                body.amount(),
                body.reason().strip());
        return new RefundView(r.id(), r.stripeRefundId(), r.status(), r.amountMinor(), r.currency());
    }
}
