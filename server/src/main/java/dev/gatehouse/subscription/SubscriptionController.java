package dev.gatehouse.subscription;

import dev.gatehouse.catalog.Catalog;
import dev.gatehouse.catalog.CatalogVersion;
import dev.gatehouse.organization.OrgPermission;
import dev.gatehouse.organization.OrganizationDirectory;
import dev.gatehouse.organization.PermissionDenied;
import dev.gatehouse.platform.CallerAuthentication;
import dev.gatehouse.platform.Permission;
import dev.gatehouse.platform.RequiresPermission;
import io.swagger.v3.oas.annotations.Operation;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import java.time.Instant;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** An organization's subscription for its members: read it; owners and billing members change the plan. */
@RequiresPermission(Permission.SIGNED_IN)
@RestController
@RequestMapping(path = "/api/v1/orgs/{org}/subscription", produces = "application/json")
class SubscriptionController {

    static final String PLAN_KEY = "[a-z][a-z0-9_]{0,63}";

    private final SubscriptionChanges changes;
    private final SubscriptionDirectory directory;
    private final OrganizationDirectory organizations;
    private final Catalog catalog;

    SubscriptionController(
            SubscriptionChanges changes,
            SubscriptionDirectory directory,
            OrganizationDirectory organizations,
            Catalog catalog) {
        this.changes = changes;
        this.directory = directory;
        this.organizations = organizations;
        this.catalog = catalog;
    }

    /**
     * A subscription.
     *
     * @param plan the subscribed plan
     * @param effectivePlan the plan whose features and limits apply now: {@code plan}, or the default plan while
     *     the subscription is suspended or expired
     * @param scheduledPlan a downgrade that takes effect at {@code current_period_end}
     */
    record SubscriptionView(
            UUID orgId,
            String plan,
            String effectivePlan,
            SubscriptionState state,
            Instant currentPeriodStart,
            Instant currentPeriodEnd,
            @Nullable String scheduledPlan) {

        static SubscriptionView of(CurrentPlan p, CatalogVersion catalog) {
            return new SubscriptionView(
                    p.orgId(),
                    p.plan(),
                    SubscriptionLookup.entitled(catalog, p).key(),
                    p.state(),
                    p.periodStart(),
                    p.periodEnd(),
                    p.scheduledPlan());
        }
    }

    @Operation(operationId = "getSubscription", summary = "The organization's subscription (any member)")
    @GetMapping
    SubscriptionView get(@PathVariable UUID org) {
        UUID caller = CallerAuthentication.current().userId();
        var role = organizations.roleOf(org, caller).orElseThrow(SubscriptionFailures::orgNotFound);
        if (!OrgPermission.ORG_READ.permits(role)) throw new PermissionDenied(OrgPermission.ORG_READ);
        CurrentPlan current = directory.currentPlan(org).orElseThrow(SubscriptionFailures::orgNotFound);
        return SubscriptionView.of(current, catalog.current());
    }

    record PlanChange(
            @NotNull @Pattern(regexp = PLAN_KEY, message = "must be a plan key such as pro")
            String plan) {}

    @Operation(
            operationId = "changeSubscriptionPlan",
            summary = "Change the plan (billing.manage: owners and billing members)",
            description = "A dearer plan applies at once; a cheaper one at the end of the period (scheduled_plan),"
                    + " unless gatehouse.subscriptions.downgrades is immediately. Asking for the current plan drops a"
                    + " scheduled change. Paid plans go through billing; until it is set up they answer 403"
                    + " paid_plan_needs_admin (an admin uses the plan override). 422 unknown_plan.")
    @PostMapping(path = "/change", consumes = "application/json")
    SubscriptionView change(@PathVariable UUID org, @Valid @RequestBody PlanChange body) {
        Subscription changed = changes.change(org, CallerAuthentication.current(), body.plan());
        return SubscriptionView.of(CurrentPlan.of(changed), catalog.current());
    }

    record TrialStart(
            @NotNull @Pattern(regexp = PLAN_KEY, message = "must be a plan key such as pro")
            String plan) {}

    @Operation(
            operationId = "startSubscriptionTrial",
            summary = "Start a trial of a plan (billing.manage: owners and billing members)",
            description = "The plan's features and limits apply at once, state trialing, until current_period_end"
                    + " (the plan's trial_days from now); an unconverted trial then expires and the default plan's"
                    + " entitlements apply again. Moving to a free plan ends a trial at once. One trial per"
                    + " organization and plan. 422 unknown_plan, no_trial (the plan has none); 409"
                    + " trial_unavailable (not on a free plan), trial_used.")
    @PostMapping(path = "/trial", consumes = "application/json")
    SubscriptionView startTrial(@PathVariable UUID org, @Valid @RequestBody TrialStart body) {
        Subscription trial = changes.startTrial(org, CallerAuthentication.current(), body.plan());
        return SubscriptionView.of(CurrentPlan.of(trial), catalog.current());
    }
}
