package dev.gatehouse.subscription;

import dev.gatehouse.catalog.PlanReferences;
import java.util.Map;
import org.springframework.stereotype.Component;

/** Tells the catalog which plans subscriptions point at, so a reload cannot drop one of them. */
@Component
class SubscribedPlans implements PlanReferences {

    private final Subscriptions subscriptions;

    SubscribedPlans(Subscriptions subscriptions) {
        this.subscriptions = subscriptions;
    }

    @Override
    public Map<String, Long> plansInUse() {
        return subscriptions.plansInUse();
    }
}
