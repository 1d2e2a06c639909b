package dev.gatehouse.apikey;

import dev.gatehouse.ratelimit.RateLimitDecision;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * The answer of {@code POST /api/v1/keys/verify}: everything the product needs about a presented org API key,
 * in one call. An invalid key is an ordinary answer ({@code valid: false} with a {@code code}), not an error:
 * the product's backend asked correctly, the key it was given is what failed.
 *
 * @param code why the key is not valid: {@code malformed_key}, {@code unknown_key}, {@code revoked},
 *     {@code expired}, {@code suspended} (the organization is suspended for non-payment); absent when valid
 * @param plan the key of the plan whose features and limits apply to the key's organization now (its subscribed
 *     plan, or the catalog's default while the subscription is suspended or expired); a plan change reaches
 *     every node within a second
 * @param rateLimit the key's rate-limit decision, this call counted (see {@link RateLimit}); absent when the plan
 *     limits nothing
 */
record Verification(
        boolean valid,
        @Nullable String code,
        @Nullable UUID keyId,
        @Nullable UUID orgId,
        @Nullable List<String> scopes,
        @Nullable String plan,
        @Nullable Instant expiresAt,
        @Nullable RateLimit rateLimit) {

    /** Not of the form {@code gh_pk_} plus 43 base64url characters (a service key, a typo, anything else). */
    static final Verification MALFORMED = invalid("malformed_key");

    static final Verification UNKNOWN = invalid("unknown_key");
    static final Verification REVOKED = invalid("revoked");
    static final Verification EXPIRED = invalid("expired");

    /** The key's organization is suspended for non-payment (billing's dunning); it verifies again once paid. */
    static final Verification SUSPENDED = invalid("suspended");

    /** A valid key's answer, without its plan: the plan is looked up on every verification ({@link #withPlan}). */
    static Verification valid(UUID keyId, UUID orgId, List<String> scopes, @Nullable Instant expiresAt) {
        return new Verification(true, null, keyId, orgId, scopes, null, expiresAt, null);
    }

    /** This answer with the organization's plan as it is now. */
    Verification withPlan(String planKey) {
        return new Verification(valid, code, keyId, orgId, scopes, planKey, expiresAt, rateLimit);
    }

    /** This (valid) answer with the rate-limit decision of the call that asked. */
    Verification limited(@Nullable RateLimitDecision decision) {
        if (decision == null) return this;
        return new Verification(valid, code, keyId, orgId, scopes, plan, expiresAt, RateLimit.of(decision));
    }

    private static Verification invalid(String code) {
        return new Verification(false, code, null, null, null, null, null, null);
    }

    /**
     * The key's rate-limit decision under the policy of its organization's plan, the verification itself counted
     * as one request of the key: the product answers its own client 429 when {@code allowed} is false, with
     * {@code retry_after} as its {@code Retry-After}.
     *
     * @param policy the policy applied (the plan's)
     * @param limit the most requests the policy admits at once (its burst)
     * @param remaining requests the key could make at once now
     * @param resetAfter seconds until the key's allowance is full again
     * @param retryAfter when not allowed, seconds until a request would be; else 0
     * @param degraded the limiter's backend was unreachable and the policy's failure mode decided; absent otherwise
     */
    record RateLimit(
            boolean allowed,
            String policy,
            long limit,
            long remaining,
            long resetAfter,
            long retryAfter,
            @Nullable Boolean degraded) {

        static RateLimit of(RateLimitDecision d) {
            return new RateLimit(
                    d.allowed(),
                    d.policy(),
                    d.limit(),
                    d.remaining(),
                    d.resetAfterSeconds(),
                    d.retryAfterSeconds(),
                    d.degraded() ? Boolean.TRUE : null);
        }
    }
}
