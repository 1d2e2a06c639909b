package dev.gatehouse.ratelimit;

import dev.gatehouse.platform.Permission;
import dev.gatehouse.platform.RequiresPermission;
import io.swagger.v3.oas.annotations.Operation;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import org.jspecify.annotations.Nullable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * The product rate-limits its own routes through Gatehouse: its backend names a key (whatever it counts by: a
 * user, an IP, a tenant) and one of Gatehouse's policies, and gets the decision, counted on the same backend
 * (and so across all of Gatehouse's nodes) as Gatehouse's own limits. A refusal is an answer (200,
 * {@code allowed: false}), not an error: the product decides what its route answers.
 */
@RequiresPermission(Permission.RATELIMIT_CHECK)
@RestController
class CheckController {

    private final RateLimiter limiter;
    private final Policies policies;

    CheckController(RateLimiter limiter, Policies policies) {
        this.limiter = limiter;
        this.policies = policies;
    }

    /**
     * @param key what the product counts by; printable ASCII without spaces or braces, up to 200 characters
     * @param policy a policy's name (see {@code docs/ratelimits.md})
     * @param cost units this request spends; 1 when absent, 0 only looks
     */
    record RateLimitCheck(
            @NotNull
            @Size(min = 1, max = 200)
            @Pattern(regexp = "[\\x21-\\x7A|~]*", message = "must be printable ASCII without spaces or braces")
            String key,

            @NotNull @Size(min = 1, max = 40) String policy,

            @Nullable @Min(0) @Max(1_000_000) Long cost) {}

    /**
     * @param limit the most units the policy admits at once (its burst)
     * @param remaining units that could be spent at once now
     * @param resetAfter seconds until the key's allowance is full again
     * @param retryAfter when refused, seconds until the same request would be admitted; else 0
     */
    record RateLimitCheckResult(
            boolean allowed, String policy, long limit, long remaining, long resetAfter, long retryAfter) {}

    @Operation(
            operationId = "checkRateLimit",
            summary = "Count a request of the product's own against a policy (service key only)",
            description = "200 with the decision, allowed or not. 422 unknown_policy for a policy that does not"
                    + " exist, cost_exceeds_burst for a cost the policy can never admit; 503"
                    + " rate_limiter_unavailable when Redis is unreachable and the policy fails closed (a policy"
                    + " that fails open answers allowed: true meanwhile).")
    @PostMapping(path = "/api/v1/ratelimit/check", consumes = "application/json", produces = "application/json")
    RateLimitCheckResult check(@Valid @RequestBody RateLimitCheck body) {
        Policy policy = policies.named(body.policy());
        if (policy == null) throw RateLimitFailures.unknownPolicy(body.policy());
        long cost = body.cost() == null ? 1 : body.cost();
        if (cost > policy.burst()) throw RateLimitFailures.costExceedsBurst(cost, policy);
        RateLimitDecision d = limiter.decide(Subjects.check(body.key()), policy, cost);
        if (d.degraded() && !d.allowed()) throw RateLimitFailures.refusal(d);
        return new RateLimitCheckResult(
                d.allowed(), d.policy(), d.limit(), d.remaining(), d.resetAfterSeconds(), d.retryAfterSeconds());
    }
}
