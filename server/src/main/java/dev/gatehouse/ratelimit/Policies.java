package dev.gatehouse.ratelimit;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

/**
 * The policy table and which policy applies to whom. A plan's policy is named after the plan; which plan an
 * organization (and so its members and API keys) is on comes from {@code default-plan} until subscriptions say
 * otherwise. Checked at startup: every policy the settings name must exist.
 */
@Component
class Policies {

    private final Map<String, Policy> byName;
    private final Policy anonymous;
    private final Policy service;
    private final Policy defaultPlan;

    Policies(RateLimitSettings settings) {
        Map<String, Policy> policies = new LinkedHashMap<>();
        settings.policies().forEach((name, spec) -> policies.put(name, of(name, spec)));
        this.byName = Map.copyOf(policies);
        this.anonymous = required(settings.anonymousPolicy(), "anonymous-policy");
        this.service = required(settings.servicePolicy(), "service-policy");
        this.defaultPlan = required(settings.defaultPlan(), "default-plan");
        settings.routeGroups().forEach((group, g) -> {
            if (!"plan".equals(g.policy())) required(g.policy(), "route-groups." + group + ".policy");
        });
    }

    /** A configured policy; a burst left out is the whole limit. */
    static Policy of(String name, RateLimitSettings.PolicySpec spec) {
        long burst = spec.burst() == null ? spec.limit() : spec.burst();
        return Policy.of(name, spec.limit(), spec.period(), burst, spec.failureMode());
    }

    private Policy required(String name, String setting) {
        Policy p = byName.get(name);
        if (p == null) {
            throw new IllegalStateException("gatehouse.ratelimit." + setting + " names the policy '" + name
                    + "', which gatehouse.ratelimit.policies does not define");
        }
        return p;
    }

    @Nullable
    Policy named(String name) {
        return byName.get(name);
    }

    Collection<Policy> all() {
        return byName.values();
    }

    /** Requests without a caller, per client IP. */
    Policy anonymous() {
        return anonymous;
    }

    /** The product's backend, per service key. */
    Policy service() {
        return service;
    }

    /** A user's requests: their plan's policy. */
    Policy forUser(UUID userId) {
        return defaultPlan;
    }

    /** An organization's (and its API keys') requests: its plan's policy. */
    Policy forOrg(UUID orgId) {
        return defaultPlan;
    }
}
