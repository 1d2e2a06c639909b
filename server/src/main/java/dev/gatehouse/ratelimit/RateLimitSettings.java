package dev.gatehouse.ratelimit;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Rate-limit settings ({@code gatehouse.ratelimit.*}); the defaults, the notes' policy matrix, are in
 * {@code application.yml} and {@code docs/ratelimits.md}.
 *
 * @param enabled false turns the filter in front of {@code /api} off (the check API and key verification still
 *     decide); for measuring what the filter costs
 * @param redisUrl {@code redis://host:port} (or {@code rediss://}); unset = the in-memory backend of a single
 *     node. From {@code GATEHOUSE_REDIS_URL}
 * @param redisTimeout how long one decision may wait for Redis before it counts as unavailable
 * @param redisReconnectDelay the pause between attempts to reach Redis again after it went away
 * @param exemptIps client addresses or CIDR ranges the filter does not limit at all (load tests, health checkers)
 * @param anonymousPolicy the policy of requests without a caller, per client IP
 * @param servicePolicy the policy of service-key callers (the product's backend), per service key
 * @param policies policies besides the catalog's (the service keys', the check API's), and replacements of catalog
 *     policies on this node under their names
 * @param failureModes what a policy answers while Redis is unreachable, by policy name; {@code open} when unnamed
 * @param routeGroups extra limits on particular routes, each with its own policy and subject
 * @param breachAuditInterval at most one audit row per subject and policy in this interval
 * @param sweepInterval how often the in-memory backend forgets subjects whose limits are full again
 */
@ConfigurationProperties("gatehouse.ratelimit")
record RateLimitSettings(
        @DefaultValue("true") boolean enabled,
        @Nullable String redisUrl,
        @DefaultValue("250ms") Duration redisTimeout,
        @DefaultValue("500ms") Duration redisReconnectDelay,
        @DefaultValue List<String> exemptIps,
        @DefaultValue("anonymous") String anonymousPolicy,
        @DefaultValue("service") String servicePolicy,
        @DefaultValue Map<String, PolicySpec> policies,
        @DefaultValue Map<String, FailureMode> failureModes,
        @DefaultValue Map<String, RouteGroup> routeGroups,
        @DefaultValue("1m") Duration breachAuditInterval,
        @DefaultValue("1m") Duration sweepInterval) {

    /**
     * One policy as configured: {@code limit} requests per {@code period}, at most {@code burst} at once (default:
     * the whole limit).
     *
     * @param failureMode what a decision answers while Redis is unreachable
     */
    record PolicySpec(
            long limit,
            @DefaultValue("1m") Duration period,
            @Nullable Long burst,
            @DefaultValue("open") FailureMode failureMode) {}

    /**
     * A limit on the requests of one route, in addition to the caller's own.
     *
     * @param method the HTTP method, e.g. {@code POST}
     * @param path the route's path pattern, e.g. {@code /api/v1/auth/login} or {@code /api/v1/orgs/{org}/**}
     * @param by whose requests are counted together
     * @param policy the policy's name, or {@code plan} for the caller's plan
     */
    record RouteGroup(String method, String path, RouteGroupSubject by, String policy) {}
}
