package dev.gatehouse.ratelimit;

import dev.gatehouse.catalog.Catalog;
import dev.gatehouse.catalog.CatalogVersion;
import dev.gatehouse.catalog.Plan;
import dev.gatehouse.catalog.RateLimitPolicy;
import dev.gatehouse.catalog.RateLimitScope;
import dev.gatehouse.subscription.SubscriptionDirectory;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The policy table and which policy applies to whom. The values come from the plan catalog ({@code plans.yml}):
 * its top-level {@code rate_limits} (anonymous callers, sign-up, sign-in) under their own names, and each plan's
 * {@code rate_limits} under the plan's name ({@code api}, the plan's request allowance, as {@code <plan>}; any other
 * as {@code <plan>-<name>}). {@code gatehouse.ratelimit.policies} adds policies the catalog does not have (the
 * service keys', the check API's) and, under a catalog policy's name, replaces it on this node; failure modes are
 * configuration, since a catalog describes plans, not how a node copes with its Redis.
 *
 * <p>The table is rebuilt when the catalog's version changes (a reload on any node reaches this one through the
 * change feed), so a decision reads the policy in force. An organization's plan (and so its API keys') is the one
 * its subscription entitles it to ({@link SubscriptionDirectory#planOf}, answered from the subscription module's
 * per-node cache); a user's own requests, which belong to no organization, are counted under the catalog's default
 * plan.
 */
@Component
class Policies {

    private static final Logger log = LoggerFactory.getLogger(Policies.class);

    /** The catalog's name for a plan's general request allowance. */
    static final String PLAN_ALLOWANCE = "api";

    private final Catalog catalog;
    private final SubscriptionDirectory subscriptions;
    private final Map<String, Policy> configured;
    private final Map<String, FailureMode> failureModes;
    private final String anonymousName;
    private final String serviceName;
    private final Policy service;
    private volatile Table table;

    /** A plan's policy for one kind of caller, and what its catalog entry says requests are counted by. */
    record PlanPolicy(Policy policy, RateLimitScope countedBy) {}

    /** Everything derived from one catalog version. */
    private record Table(
            int version,
            Map<String, Policy> byName,
            Map<String, Map<RateLimitScope, PlanPolicy>> plans,
            String defaultPlan) {}

    Policies(RateLimitSettings settings, Catalog catalog, SubscriptionDirectory subscriptions) {
        this.catalog = catalog;
        this.subscriptions = subscriptions;
        Map<String, Policy> policies = new LinkedHashMap<>();
        this.failureModes = Map.copyOf(settings.failureModes());
        settings.policies().forEach((name, spec) -> {
            Policy p = of(name, spec);
            FailureMode mode = failureModes.get(name);
            policies.put(name, mode == null ? p : Policy.of(name, p.limit(), p.period(), p.burst(), mode));
        });
        this.configured = Map.copyOf(policies);
        this.anonymousName = settings.anonymousPolicy();
        this.serviceName = settings.servicePolicy();
        Policy s = configured.get(serviceName);
        if (s == null) {
            throw new IllegalStateException("gatehouse.ratelimit.service-policy names the policy '" + serviceName
                    + "', which gatehouse.ratelimit.policies does not define");
        }
        this.service = s;
        this.table = build(catalog.current());
        settings.routeGroups().forEach((group, g) -> {
            if (!"plan".equals(g.policy()) && named(g.policy()) == null) {
                throw new IllegalStateException(
                        "gatehouse.ratelimit.route-groups." + group + ".policy names the policy '" + g.policy()
                                + "', which neither the catalog nor gatehouse.ratelimit.policies defines");
            }
        });
    }

    /** A configured policy; a burst left out is the whole limit. */
    static Policy of(String name, RateLimitSettings.PolicySpec spec) {
        long burst = spec.burst() == null ? spec.limit() : spec.burst();
        return Policy.of(name, spec.limit(), spec.period(), burst, spec.failureMode());
    }

    private Table table() {
        Table t = table;
        CatalogVersion current = catalog.current();
        if (t.version() == current.version()) return t;
        t = build(current);
        table = t;
        return t;
    }

    private Table build(CatalogVersion c) {
        Map<String, Policy> byName = new LinkedHashMap<>();
        c.rateLimits().forEach((name, p) -> put(byName, name, p));
        Map<String, Map<RateLimitScope, PlanPolicy>> plans = new LinkedHashMap<>();
        for (Plan plan : c.plans().values()) {
            Map<String, PlanPolicy> own = new LinkedHashMap<>();
            plan.rateLimits().forEach((name, p) -> {
                String policyName = PLAN_ALLOWANCE.equals(name) ? plan.key() : plan.key() + "-" + name;
                Policy policy = put(byName, policyName, p);
                if (policy != null) own.put(name, new PlanPolicy(policy, p.scope()));
            });
            Map<RateLimitScope, PlanPolicy> byScope = new LinkedHashMap<>();
            for (RateLimitScope scope : RateLimitScope.values()) {
                PlanPolicy chosen = own.values().stream()
                        .filter(pp -> pp.countedBy() == scope)
                        .findFirst()
                        .orElse(own.getOrDefault(
                                PLAN_ALLOWANCE,
                                own.values().stream().findFirst().orElse(null)));
                if (chosen != null) byScope.put(scope, chosen);
            }
            plans.put(plan.key(), Map.copyOf(byScope));
        }
        // Configured policies win over the catalog's of the same name (and keep their own failure mode).
        byName.putAll(configured);
        plans.replaceAll((plan, byScope) -> {
            Map<RateLimitScope, PlanPolicy> replaced = new LinkedHashMap<>();
            byScope.forEach((scope, pp) -> replaced.put(
                    scope, new PlanPolicy(byName.getOrDefault(pp.policy().name(), pp.policy()), pp.countedBy())));
            return Map.copyOf(replaced);
        });
        return new Table(c.version(), Map.copyOf(byName), Map.copyOf(plans), c.defaultPlanKey());
    }

    private @Nullable Policy put(Map<String, Policy> byName, String name, RateLimitPolicy p) {
        try {
            Policy policy =
                    Policy.of(name, p.limit(), p.per(), p.burst(), failureModes.getOrDefault(name, FailureMode.OPEN));
            byName.put(name, policy);
            return policy;
        } catch (IllegalArgumentException e) {
            // The catalog validated the numbers; what remains is what the limiter cannot count (over a million a
            // second). That policy limits nothing rather than the whole catalog being refused here.
            log.warn("Catalog rate-limit policy {} is not used: {}", name, e.getMessage());
            return null;
        }
    }

    @Nullable
    Policy named(String name) {
        return table().byName().get(name);
    }

    Collection<Policy> all() {
        return table().byName().values();
    }

    /** Requests without a caller, per client IP; null when no such policy exists (not limited). */
    @Nullable
    Policy anonymous() {
        return named(anonymousName);
    }

    /** The product's backend, per service key. */
    Policy service() {
        Policy p = table().byName().get(serviceName);
        return p != null ? p : service;
    }

    /** The plan of an organization: the one its subscription entitles it to now. */
    String planOf(UUID orgId) {
        return subscriptions.planOf(orgId).key();
    }

    /** The plan a user's own requests are counted under (they belong to no organization): the default plan. */
    String planOfUser(UUID userId) {
        return table().defaultPlan();
    }

    /** A plan's policy for requests counted by {@code scope}; null when the plan limits nothing. */
    @Nullable
    PlanPolicy ofPlan(String plan, RateLimitScope scope) {
        Map<RateLimitScope, PlanPolicy> byScope = table().plans().get(plan);
        return byScope == null ? null : byScope.get(scope);
    }

    /** A user's own requests: their plan's policy (counted per user). */
    @Nullable
    Policy forUser(UUID userId) {
        PlanPolicy pp = ofPlan(planOfUser(userId), RateLimitScope.USER);
        return pp == null ? null : pp.policy();
    }

    /** An organization's requests (a route group by organization): its plan's policy. */
    @Nullable
    Policy forOrg(UUID orgId) {
        PlanPolicy pp = ofPlan(planOf(orgId), RateLimitScope.ORG);
        return pp == null ? null : pp.policy();
    }
}
