package dev.gatehouse.subscription;

import dev.gatehouse.catalog.Catalog;
import dev.gatehouse.catalog.CatalogVersion;
import dev.gatehouse.catalog.Plan;
import dev.gatehouse.organization.OrganizationDirectory;
import dev.gatehouse.platform.Caller;
import dev.gatehouse.platform.CallerAuthentication;
import dev.gatehouse.platform.IgnoresIdempotencyKey;
import dev.gatehouse.platform.Permission;
import dev.gatehouse.platform.PlatformRole;
import dev.gatehouse.platform.Problems;
import dev.gatehouse.platform.RequiresPermission;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.UUID;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * The feature check products gate on: does this organization's plan include this feature? Answered from this
 * node's memory (the subscription cache and the catalog), which every change on any node reaches within a
 * second. Entitlements live in the subscription module because an entitlement is nothing but the
 * subscription's plan read against the catalog: no state of its own.
 */
@RestController
class EntitlementController {

    private static final Pattern FEATURE = Pattern.compile("[a-z][a-z0-9_]{0,63}");

    private final SubscriptionDirectory subscriptions;
    private final OrganizationDirectory organizations;
    private final Catalog catalog;

    EntitlementController(SubscriptionDirectory subscriptions, OrganizationDirectory organizations, Catalog catalog) {
        this.subscriptions = subscriptions;
        this.organizations = organizations;
        this.catalog = catalog;
    }

    /**
     * The question. Checked by hand, in order, rather than with bean validation: a person outside the
     * organization gets 404 whatever the feature, so the organization is judged before the feature is.
     */
    record EntitlementCheck(
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED) @Nullable
            UUID org,

            @Schema(
                    requiredMode = Schema.RequiredMode.REQUIRED,
                    pattern = "[a-z][a-z0-9_]{0,63}",
                    example = "priority_support")
            @Nullable
            String feature) {}

    /**
     * The answer when the plan includes the feature.
     *
     * @param plan the plan that grants it
     */
    record Entitlement(boolean allowed, UUID org, String feature, String plan) {}

    @Operation(
            operationId = "checkEntitlement",
            summary = "Does the organization's plan include the feature? (service key, or a member's token)",
            description = "200 {allowed: true, org, feature, plan}, or 402 problem feature_not_in_plan with plan,"
                    + " upgrade_plans (the plans that include it) and upgrade_url. 422 unknown_feature for a feature"
                    + " the catalog does not declare; 404 for an organization that does not exist or, for a person,"
                    + " one they are not a member of. A plan change reaches every node within a second.")
    @PostMapping(path = "/api/v1/entitlements/check", consumes = "application/json", produces = "application/json")
    @RequiresPermission(Permission.ENTITLEMENTS_CHECK)
    @IgnoresIdempotencyKey(IgnoresIdempotencyKey.Reason.READ_ONLY)
    Entitlement check(@RequestBody EntitlementCheck body) {
        UUID orgId = body.org();
        if (orgId == null) throw Problems.badRequest("validation_failed", "org: must not be null");
        Caller caller = CallerAuthentication.current();
        if (!caller.hasRole(PlatformRole.SERVICE)
                && organizations.roleOf(orgId, caller.userId()).isEmpty()) {
            throw SubscriptionFailures.orgNotFound();
        }
        String feature = body.feature();
        if (feature == null || !FEATURE.matcher(feature).matches()) {
            throw Problems.badRequest("validation_failed", "feature: must be a feature key such as priority_support");
        }
        CatalogVersion c = catalog.current();
        Plan plan = subscriptions.entitledPlan(orgId).orElseThrow(SubscriptionFailures::orgNotFound);
        if (!c.hasFeature(feature)) throw SubscriptionFailures.unknownFeature(feature, c);
        if (!plan.hasFeature(feature)) {
            throw SubscriptionFailures.featureNotInPlan(feature, plan, c.plansWith(feature), c);
        }
        return new Entitlement(true, orgId, feature, plan.key());
    }
}
