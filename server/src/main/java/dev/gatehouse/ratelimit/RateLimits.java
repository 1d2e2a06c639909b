package dev.gatehouse.ratelimit;

import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * The rate limiter as other modules use it: decisions for subjects whose request reaches Gatehouse in another
 * form than an {@code /api} call of their own (an org API key presented to {@code POST /api/v1/keys/verify}).
 */
public interface RateLimits {

    /**
     * Counts one request of an organization's API key against the policy of the organization's plan and
     * returns the decision (a refusal is an answer, not an exception: the product decides what to do with it);
     * null when the plan limits nothing. The plan's policy says whether the key counts alone or with every key
     * of its organization.
     */
    @Nullable
    RateLimitDecision forApiKey(UUID keyId, UUID orgId);
}
