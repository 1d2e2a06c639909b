package dev.gatehouse.subscription;

import dev.gatehouse.catalog.Plan;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * What other modules may ask about subscriptions: answered from this node's memory, which every change on any
 * node reaches within about a second (the change feed), so it is fit for hot paths (key verification,
 * entitlement and quota checks, rate limits).
 */
public interface SubscriptionDirectory {

    /** The organization's subscription; empty when the organization does not exist or was deleted. */
    Optional<CurrentPlan> currentPlan(UUID orgId);

    /**
     * The plan whose features and limits apply to the organization now: its subscribed plan while that entitles
     * it, otherwise (suspended, expired, or no such organization) the catalog's default plan. Read from the
     * current catalog on every call.
     */
    Plan planOf(UUID orgId);

    /** The subscriptions of organizations that exist, counted by plan and state now (read from PostgreSQL). */
    List<PlanStateCount> counts();

    /** {@link #planOf} as an answer that also says whether the organization exists. */
    default Optional<Plan> entitledPlan(UUID orgId) {
        return currentPlan(orgId).map(c -> planOf(orgId));
    }
}
