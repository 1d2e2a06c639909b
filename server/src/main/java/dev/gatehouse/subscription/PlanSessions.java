package dev.gatehouse.subscription;

import dev.gatehouse.catalog.Limit;
import dev.gatehouse.identity.SessionLimit;
import dev.gatehouse.organization.OrganizationDirectory;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.UUID;
import org.springframework.stereotype.Component;

/**
 * A user's concurrent sessions are limited by their plans' {@code sessions}: the most generous plan among the
 * organizations they belong to, since a member of a paying team should not be held to their personal free plan.
 * Asked once per sign-in, not per request.
 */
@Component
class PlanSessions implements SessionLimit {

    private final OrganizationDirectory organizations;
    private final SubscriptionDirectory subscriptions;

    PlanSessions(OrganizationDirectory organizations, SubscriptionDirectory subscriptions) {
        this.organizations = organizations;
        this.subscriptions = subscriptions;
    }

    @Override
    public OptionalInt concurrentSessions(UUID userId) {
        List<UUID> orgs = organizations.organizationsOf(userId);
        if (orgs.isEmpty()) return OptionalInt.empty();
        long most = 0;
        for (UUID orgId : orgs) {
            Optional<Long> max = subscriptions.planOf(orgId).max(Limit.SESSIONS);
            if (max.isEmpty()) return OptionalInt.empty(); // one unlimited plan is enough
            most = Math.max(most, max.get());
        }
        return OptionalInt.of((int) Math.min(most, Integer.MAX_VALUE));
    }
}
