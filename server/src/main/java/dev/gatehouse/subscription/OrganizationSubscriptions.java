package dev.gatehouse.subscription;

import dev.gatehouse.organization.OrganizationCreated;
import dev.gatehouse.organization.OrganizationDeleted;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/** Starts every organization's subscription with it, and ends it with it. */
@Component
class OrganizationSubscriptions {

    private final SubscriptionChanges changes;

    OrganizationSubscriptions(SubscriptionChanges changes) {
        this.changes = changes;
    }

    // Synchronous in the creating transaction (organization cannot call us: we depend on it): no org without a
    // subscription.
    @EventListener
    void on(OrganizationCreated created) {
        changes.start(created.orgId(), created.occurredAt());
    }

    // Synchronous in the deleting transaction: no deleted organization keeps being served a plan.
    @EventListener
    void on(OrganizationDeleted deleted) {
        changes.close(deleted.orgId(), deleted.actorId(), deleted.occurredAt());
    }
}
