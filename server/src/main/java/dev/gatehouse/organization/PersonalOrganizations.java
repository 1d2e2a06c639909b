package dev.gatehouse.organization;

import dev.gatehouse.identity.UserRegistered;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/** Gives every new user their personal organization, named after them, with them as its only owner. */
@Component
class PersonalOrganizations {

    private final OrgManagement management;

    PersonalOrganizations(OrgManagement management) {
        this.management = management;
    }

    /**
     * A plain, synchronous listener on purpose, not an {@code @ApplicationModuleListener}: that one runs
     * after the registration commits, in another thread and transaction, so a crash or a failure in between
     * would leave a user without a personal organization (and nothing would retry it, as the event
     * publication registry is not in use). Running in the publisher's thread joins identity's transaction:
     * the account and its organization commit together or not at all.
     */
    @EventListener
    void on(UserRegistered registered) {
        management.createPersonal(registered.userId(), registered.name(), registered.registeredAt());
    }
}
