package dev.gatehouse.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatehouse.catalog.CatalogVersion;
import dev.gatehouse.catalog.Plan;
import dev.gatehouse.catalog.Price;
import dev.gatehouse.catalog.RateLimitPolicy;
import dev.gatehouse.catalog.RateLimitScope;
import dev.gatehouse.subscription.CurrentPlan;
import dev.gatehouse.subscription.PlanStateCount;
import dev.gatehouse.subscription.SubscriptionDirectory;
import java.math.BigDecimal;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** Which policy applies to whom, read from catalog versions built here, and a reload seen by the next decision. */
class PoliciesTest {

    private static final Duration MINUTE = Duration.ofMinutes(1);

    /** Subscriptions as the limiter reads them: every organization on the given plan of the given catalog. */
    private static SubscriptionDirectory everyOrgOn(String plan, Supplier<CatalogVersion> catalog) {
        return new SubscriptionDirectory() {
            @Override
            public Optional<CurrentPlan> currentPlan(UUID orgId) {
                return Optional.empty();
            }

            @Override
            public Plan planOf(UUID orgId) {
                return catalog.get().plans().get(plan);
            }

            @Override
            public List<PlanStateCount> counts() {
                return List.of();
            }
        };
    }

    private static RateLimitSettings settings(
            Map<String, RateLimitSettings.PolicySpec> policies, Map<String, FailureMode> failureModes) {
        return new RateLimitSettings(
                true,
                null,
                Duration.ofMillis(250),
                Duration.ofMillis(500),
                List.of(),
                "anonymous",
                "service",
                policies,
                failureModes,
                Map.of(),
                Duration.ofMinutes(1),
                Duration.ofMinutes(1));
    }

    private static final Map<String, RateLimitSettings.PolicySpec> SERVICE =
            Map.of("service", new RateLimitSettings.PolicySpec(100_000, Duration.ofSeconds(1), null, FailureMode.OPEN));

    private static Plan plan(String key, Map<String, RateLimitPolicy> rateLimits) {
        return new Plan(
                key,
                key,
                "",
                new Price(BigDecimal.ZERO, "USD", null),
                0,
                null,
                Set.of(),
                Map.of(),
                rateLimits,
                0,
                List.of());
    }

    private static CatalogVersion version(int n, long freeLimit, Map<String, Plan> extra) {
        Map<String, Plan> plans = new LinkedHashMap<>();
        plans.put(
                "free",
                plan("free", Map.of("api", new RateLimitPolicy("api", RateLimitScope.ORG, freeLimit, MINUTE, 20))));
        plans.putAll(extra);
        return new CatalogVersion(
                n,
                "hash" + n,
                Instant.EPOCH,
                "free",
                URI.create("https://example.com/pricing"),
                Map.of(),
                Map.of(),
                Map.of(
                        "anonymous", new RateLimitPolicy("anonymous", RateLimitScope.IP, 30, MINUTE, 10),
                        "register", new RateLimitPolicy("register", RateLimitScope.IP, 5, Duration.ofHours(1), 5)),
                plans);
    }

    @Test
    void theCatalogsPoliciesAreNamedForThePlanAndAReloadIsSeenByTheNextDecision() {
        AtomicReference<CatalogVersion> current = new AtomicReference<>(version(1, 60, Map.of()));
        Policies policies = new Policies(
                settings(SERVICE, Map.of("register", FailureMode.CLOSED)),
                current::get,
                everyOrgOn("free", current::get));

        Policy free = policies.forUser(UUID.randomUUID());
        assertThat(free.name()).isEqualTo("free");
        assertThat(free.intervalMicros()).isEqualTo(1_000_000);
        assertThat(free.burst()).isEqualTo(20);
        assertThat(policies.anonymous().burst()).isEqualTo(10);
        assertThat(policies.named("register").failureMode()).isEqualTo(FailureMode.CLOSED);
        assertThat(policies.named("anonymous").failureMode()).isEqualTo(FailureMode.OPEN);
        assertThat(policies.service().name()).isEqualTo("service");
        // The shipped catalog counts API keys per organization.
        assertThat(policies.ofPlan("free", RateLimitScope.API_KEY).countedBy()).isEqualTo(RateLimitScope.ORG);

        current.set(version(2, 120, Map.of()));
        assertThat(policies.forUser(UUID.randomUUID()).intervalMicros()).isEqualTo(500_000);
        assertThat(policies.all()).extracting(Policy::name).contains("free", "anonymous", "register", "service");
    }

    @Test
    void aPlansPolicyForTheCallersScopeWinsAndAPlanWithoutPoliciesLimitsNothing() {
        Map<String, Plan> extra = Map.of(
                "team",
                plan(
                        "team",
                        Map.of(
                                "api", new RateLimitPolicy("api", RateLimitScope.ORG, 300, MINUTE, 300),
                                "keys", new RateLimitPolicy("keys", RateLimitScope.API_KEY, 50, MINUTE, 5))),
                "unlimited",
                plan("unlimited", Map.of()));
        Policies policies = new Policies(
                settings(SERVICE, Map.of()),
                () -> version(1, 60, extra),
                everyOrgOn("team", () -> version(1, 60, extra)));
        assertThat(policies.forOrg(UUID.randomUUID()).name())
                .as("the organization's subscribed plan")
                .isEqualTo("team");
        Policies.PlanPolicy keys = policies.ofPlan("team", RateLimitScope.API_KEY);
        assertThat(keys.policy().name()).isEqualTo("team-keys");
        assertThat(keys.countedBy()).isEqualTo(RateLimitScope.API_KEY);
        assertThat(policies.ofPlan("team", RateLimitScope.USER).policy().name()).isEqualTo("team");
        assertThat(policies.ofPlan("unlimited", RateLimitScope.USER)).isNull();
        assertThat(policies.ofPlan("no-such-plan", RateLimitScope.USER)).isNull();
    }

    @Test
    void configuredPoliciesAddToTheCatalogAndReplaceItsPoliciesOfTheSameName() {
        Map<String, RateLimitSettings.PolicySpec> configured = new LinkedHashMap<>(SERVICE);
        configured.put("free", new RateLimitSettings.PolicySpec(6_000, MINUTE, 1_000L, FailureMode.OPEN));
        configured.put("exports", new RateLimitSettings.PolicySpec(10, Duration.ofHours(1), null, FailureMode.OPEN));
        Policies policies = new Policies(
                settings(configured, Map.of("exports", FailureMode.CLOSED)),
                () -> version(1, 60, Map.of()),
                everyOrgOn("free", () -> version(1, 60, Map.of())));
        assertThat(policies.forUser(UUID.randomUUID()).burst()).isEqualTo(1_000);
        assertThat(policies.named("exports").failureMode()).isEqualTo(FailureMode.CLOSED);
        assertThat(policies.named("exports").burst()).isEqualTo(10);
    }

    @Test
    void aServicePolicyMustBeConfigured() {
        assertThatThrownBy(() -> new Policies(
                        settings(Map.of(), Map.of()),
                        () -> version(1, 60, Map.of()),
                        everyOrgOn("free", () -> version(1, 60, Map.of()))))
                .hasMessageContaining("service-policy");
    }
}
