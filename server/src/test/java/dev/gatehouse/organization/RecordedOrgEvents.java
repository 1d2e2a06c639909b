package dev.gatehouse.organization;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/** Records every event this module publishes, and whether a transaction was open when it was published. */
@Component
class RecordedOrgEvents {

    record Recorded(Object event, boolean inTransaction) {}

    private final List<Recorded> events = new CopyOnWriteArrayList<>();

    @EventListener
    void on(Object event) {
        if (event.getClass().getPackage() != OrgRole.class.getPackage()) return;
        events.add(new Recorded(event, TransactionSynchronizationManager.isActualTransactionActive()));
    }

    /** The recorded events of this type, oldest first. */
    <T> List<T> of(Class<T> type) {
        return events.stream()
                .filter(r -> type.isInstance(r.event()))
                .map(r -> type.cast(r.event()))
                .toList();
    }

    List<Recorded> all() {
        return List.copyOf(events);
    }
}
