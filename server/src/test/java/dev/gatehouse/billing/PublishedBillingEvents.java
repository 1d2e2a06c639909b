package dev.gatehouse.billing;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Test-only: every {@link BillingEvent} the app published, as the credits module will receive them, so tests can
 * count them (exactly once per Stripe object).
 */
@Component
public class PublishedBillingEvents {

    private final List<BillingEvent> events = new CopyOnWriteArrayList<>();

    @EventListener
    void on(BillingEvent event) {
        events.add(event);
    }

    public <T extends BillingEvent> List<T> of(Class<T> type) {
        return events.stream().filter(type::isInstance).map(type::cast).toList();
    }
}
