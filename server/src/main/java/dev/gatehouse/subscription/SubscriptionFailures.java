package dev.gatehouse.subscription;

import dev.gatehouse.catalog.CatalogVersion;
import dev.gatehouse.catalog.Plan;
import dev.gatehouse.platform.ApiException;
import dev.gatehouse.platform.Problems;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;

/** The subscription module's problems. */
final class SubscriptionFailures {

    private SubscriptionFailures() {}

    /** The same problem as every organization route's for a non-member or a missing organization. */
    static ApiException orgNotFound() {
        return Problems.notFound("Organization");
    }

    static ApiException unknownPlan(String plan, CatalogVersion catalog) {
        return Problems.invalid(
                "unknown_plan",
                "There is no plan '" + plan + "'; the plans are "
                        + catalog.plans().keySet() + ".");
    }

    static ApiException unknownFeature(String feature, CatalogVersion catalog) {
        return Problems.invalid(
                "unknown_feature",
                "There is no feature '" + feature + "'; the features are "
                        + catalog.features().keySet() + ".");
    }

    /** Paid plans are sold through billing; until it exists, only an admin moves an organization onto one. */
    static ApiException paidPlanNeedsAdmin(String plan) {
        return Problems.of(
                HttpStatus.FORBIDDEN,
                "paid_plan_needs_admin",
                "Forbidden",
                "The plan '" + plan + "' is paid; until billing is set up an administrator moves organizations onto"
                        + " paid plans.");
    }

    static ApiException noTrial(String plan) {
        return Problems.invalid("no_trial", "The plan '" + plan + "' offers no trial (its trial_days is 0).");
    }

    /** A trial starts from a free plan or an ended subscription, not on top of a paid plan or another trial. */
    static ApiException trialUnavailable(String plan, SubscriptionState state) {
        return Problems.of(
                HttpStatus.CONFLICT,
                "trial_unavailable",
                "Conflict",
                "A trial starts from a free plan; the organization is " + state.wire() + " on '" + plan + "'.");
    }

    static ApiException trialUsed(String plan) {
        return Problems.of(
                HttpStatus.CONFLICT,
                "trial_used",
                "Conflict",
                "The organization has had its trial of '" + plan + "' already; subscribe to keep it.");
    }

    /**
     * 402: the organization's plan does not include the feature. Carries what the product needs to sell the
     * upgrade: the plans that include it (cheapest first, as the catalog lists them) and where to upgrade.
     */
    static ApiException featureNotInPlan(String feature, Plan current, List<Plan> including, CatalogVersion catalog) {
        Map<String, @Nullable Object> properties = new LinkedHashMap<>();
        properties.put("feature", feature);
        properties.put("plan", current.key());
        properties.put("upgrade_plans", including.stream().map(Plan::key).toList());
        properties.put("upgrade_url", catalog.upgradeUrl().toString());
        return Problems.of(
                HttpStatus.PAYMENT_REQUIRED,
                "feature_not_in_plan",
                "Payment required",
                "The plan '" + current.key() + "' does not include '" + feature + "'"
                        + (including.isEmpty()
                                ? "; no plan does."
                                : "; upgrade to "
                                        + String.join(
                                                " or ",
                                                including.stream()
                                                        .map(Plan::key)
                                                        .toList()) + ".")
                        + "",
                properties);
    }
}
