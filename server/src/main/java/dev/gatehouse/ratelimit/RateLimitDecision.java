package dev.gatehouse.ratelimit;

/**
 * One rate-limit decision: whether the request is admitted, and what the subject has left.
 *
 * @param allowed admitted (and counted) or not
 * @param policy the policy's name
 * @param limit the most units the policy admits at once (its burst)
 * @param remaining units that could be spent at once right now
 * @param resetAfterMicros until the subject's allowance is full again, in microseconds
 * @param retryAfterMicros when refused, until the same request would be admitted; 0 when admitted
 * @param degraded the backend (Redis) could not be reached and the policy's failure mode decided: admitted
 *     when it fails open (remaining is then unknown and reported as the limit), refused when it fails closed
 */
public record RateLimitDecision(
        boolean allowed,
        String policy,
        long limit,
        long remaining,
        long resetAfterMicros,
        long retryAfterMicros,
        boolean degraded) {

    RateLimitDecision(
            boolean allowed, String policy, long limit, long remaining, long resetAfterMicros, long retryAfterMicros) {
        this(allowed, policy, limit, remaining, resetAfterMicros, retryAfterMicros, false);
    }

    /** The answer of a policy whose backend cannot be reached, by its failure mode. */
    static RateLimitDecision unavailable(Policy policy) {
        boolean open = policy.failureMode() == FailureMode.OPEN;
        return new RateLimitDecision(
                open, policy.name(), policy.burst(), open ? policy.burst() : 0, 0, open ? 0 : 1_000_000, true);
    }

    /** Seconds until the allowance is full again, rounded up (the headers' and APIs' unit). */
    public long resetAfterSeconds() {
        return ceilSeconds(resetAfterMicros);
    }

    /** Seconds to wait before retrying, rounded up, at least 1 when refused; 0 when admitted. */
    public long retryAfterSeconds() {
        return allowed ? 0 : Math.max(1, ceilSeconds(retryAfterMicros));
    }

    private static long ceilSeconds(long micros) {
        return micros <= 0 ? 0 : (micros + 999_999) / 1_000_000;
    }
}
