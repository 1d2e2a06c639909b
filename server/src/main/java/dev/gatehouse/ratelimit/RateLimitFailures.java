package dev.gatehouse.ratelimit;

import dev.gatehouse.platform.ApiException;
import dev.gatehouse.platform.Problems;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;

/** The rate-limit module's problems. */
final class RateLimitFailures {

    private RateLimitFailures() {}

    /** 429 {@code rate_limited}: the policy's allowance is spent; {@code Retry-After} says when to come back. */
    static final class RateLimited extends ApiException {
        private final long retryAfterSeconds;

        RateLimited(RateLimitDecision decision) {
            super(
                    HttpStatus.TOO_MANY_REQUESTS,
                    "rate_limited",
                    "Too many requests",
                    "Rate limit of policy " + decision.policy() + " reached. Retry after "
                            + decision.retryAfterSeconds() + " s.",
                    Map.<String, @Nullable Object>of("policy", decision.policy()));
            this.retryAfterSeconds = decision.retryAfterSeconds();
        }

        @Override
        public Map<String, String> headers() {
            return Map.of(HttpHeaders.RETRY_AFTER, Long.toString(retryAfterSeconds));
        }
    }

    /** 503 {@code rate_limiter_unavailable}: the backend is unreachable and the policy fails closed. */
    static final class LimiterUnavailable extends ApiException {
        LimiterUnavailable(@Nullable String policy) {
            super(
                    HttpStatus.SERVICE_UNAVAILABLE,
                    "rate_limiter_unavailable",
                    "Rate limiter unavailable",
                    policy == null
                            ? "The rate limiter's backend (Redis) cannot be reached right now. Retry shortly."
                            : "The rate limiter cannot decide right now and policy " + policy
                                    + " refuses requests until it can. Retry shortly.",
                    policy == null ? Map.of() : Map.<String, @Nullable Object>of("policy", policy));
        }

        @Override
        public Map<String, String> headers() {
            return Map.of(HttpHeaders.RETRY_AFTER, "1");
        }
    }

    static ApiException refusal(RateLimitDecision decision) {
        return decision.degraded() ? new LimiterUnavailable(decision.policy()) : new RateLimited(decision);
    }

    static ApiException unknownPolicy(String name) {
        return Problems.invalid("unknown_policy", "There is no rate-limit policy named '" + name + "'.");
    }

    static ApiException costExceedsBurst(long cost, Policy policy) {
        return Problems.invalid(
                "cost_exceeds_burst",
                "A cost of " + cost + " can never be admitted: policy " + policy.name() + " admits at most "
                        + policy.burst() + " at once.");
    }

    static ApiException invalidSubject() {
        return Problems.badRequest(
                "invalid_subject",
                "A subject is <scope>:<id> with scope ip, user, org, key, service, account or check, e.g. ip:203.0.113.7"
                        + " or user:<uuid>.");
    }
}
