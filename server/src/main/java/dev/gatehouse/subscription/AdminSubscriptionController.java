package dev.gatehouse.subscription;

import dev.gatehouse.catalog.Catalog;
import dev.gatehouse.platform.CallerAuthentication;
import dev.gatehouse.platform.Permission;
import dev.gatehouse.platform.RequiresPermission;
import io.swagger.v3.oas.annotations.Operation;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.util.UUID;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/** The admin plan override. */
@RestController
class AdminSubscriptionController {

    private final SubscriptionChanges changes;
    private final Catalog catalog;

    AdminSubscriptionController(SubscriptionChanges changes, Catalog catalog) {
        this.changes = changes;
        this.catalog = catalog;
    }

    record PlanOverride(
            @NotNull @Pattern(regexp = SubscriptionController.PLAN_KEY, message = "must be a plan key such as pro")
            String plan,

            @NotNull @Size(min = 3, max = 500) @Pattern(regexp = ".*\\S.*", message = "must not be blank")
            String reason) {}

    @Operation(
            operationId = "overrideSubscriptionPlan",
            summary = "Set an organization's plan at once, with a reason (subscriptions.override, audited)",
            description = "Any plan, paid or not; the subscription becomes active (a new period starts if it had"
                    + " ended) and any scheduled change is dropped. 404 for an organization that does not exist;"
                    + " 422 unknown_plan.")
    @PostMapping(
            path = "/api/v1/admin/orgs/{org}/subscription/override",
            consumes = "application/json",
            produces = "application/json")
    @RequiresPermission(Permission.SUBSCRIPTIONS_OVERRIDE)
    SubscriptionController.SubscriptionView override(@PathVariable UUID org, @Valid @RequestBody PlanOverride body) {
        Subscription changed = changes.override(
                org, CallerAuthentication.current(), body.plan(), body.reason().strip());
        return SubscriptionController.SubscriptionView.of(CurrentPlan.of(changed), catalog.current());
    }
}
