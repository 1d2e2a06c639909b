package dev.gatehouse.redelivery;

import dev.gatehouse.organization.OrganizationCreated;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.modulith.events.ApplicationModuleListener;

/**
 * A cross-module listener that fails the first delivery of each event, as a module that reacts to
 * organizations would when its database call times out once. It lives in a module of its own (this
 * package), like the subscription module will, and is no {@code @Component}: only the nodes
 * {@link EventRedeliveryTest} starts register it, so the other end-to-end tests never meet it. What it saw is
 * kept in static maps because it must outlive the node that failed.
 */
class FlakyOrganizationListener {

    /** Deliveries per organization name, the failed first one included. */
    static final Map<String, Integer> ATTEMPTS = new ConcurrentHashMap<>();

    /** Organization names whose event was handled without an error. */
    static final Set<String> HANDLED = ConcurrentHashMap.newKeySet();

    @ApplicationModuleListener
    void on(OrganizationCreated created) {
        if (ATTEMPTS.merge(created.name(), 1, Integer::sum) == 1) {
            throw new IllegalStateException("the first delivery of " + created.orgId() + " fails on purpose");
        }
        HANDLED.add(created.name());
    }
}
