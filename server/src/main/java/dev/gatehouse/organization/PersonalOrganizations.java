package dev.gatehouse.organization;

import dev.gatehouse.identity.UserDeleted;
import dev.gatehouse.identity.UserRegistered;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/** Gives every new user their personal organization, named after them, with them as its only owner; ends it with the account. */
@Component
class PersonalOrganizations {

    private final OrgManagement management;

    PersonalOrganizations(OrgManagement management) {
        this.management = management;
    }

    /**
     * A plain, synchronous listener on purpose, not an {@code @ApplicationModuleListener}: every account has
     * its personal organization from its first committed moment, so it is created in the registration's own
     * transaction (the registry would only make it eventually true, after commit, and a listener failure
     * would leave a user without one until a retry). The account and its organization commit together or not
     * at all.
     */
    @EventListener
    void on(UserRegistered registered) {
        management.createPersonal(registered.userId(), registered.name(), registered.occurredAt());
    }

    /** Synchronous for the same reason: a deleted account's personal organization ends in the same transaction. */
    @EventListener
    void on(UserDeleted deleted) {
        management.deletePersonalOf(deleted.userId(), deleted.actorId(), deleted.occurredAt());
    }
}
