package dev.gatehouse.apikey;

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
 *     {@code expired}; absent when valid
 * @param plan the key of the plan whose features and limits apply to the key's organization now (its subscribed
 *     plan, or the catalog's default while the subscription is suspended or expired); a plan change reaches
 *     every node within a second
 * @param rateLimit the key's rate-limit decision; a placeholder until rate limiting exists (see {@link RateLimit})
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

    /** A valid key's answer, without its plan: the plan is looked up on every verification ({@link #withPlan}). */
    static Verification valid(UUID keyId, UUID orgId, List<String> scopes, @Nullable Instant expiresAt) {
        return new Verification(true, null, keyId, orgId, scopes, null, expiresAt, RateLimit.NOT_LIMITED);
    }

    /** This answer with the organization's plan as it is now. */
    Verification withPlan(String planKey) {
        return new Verification(valid, code, keyId, orgId, scopes, planKey, expiresAt, rateLimit);
    }

    private static Verification invalid(String code) {
        return new Verification(false, code, null, null, null, null, null, null);
    }

    /**
     * The key's rate-limit decision. Rate limiting does not exist yet, so today every valid key gets
     * {@code {"allowed": true, "policy": "none"}}. When it lands, {@code policy} names the policy applied and
     * {@code limit}, {@code remaining} and {@code reset_at} join it; {@code allowed} keeps its meaning, so a
     * client that checks it now keeps working.
     */
    record RateLimit(boolean allowed, String policy) {
        static final RateLimit NOT_LIMITED = new RateLimit(true, "none");
    }
}
