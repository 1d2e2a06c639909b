package dev.gatehouse.metering;

import dev.gatehouse.catalog.Catalog;
import dev.gatehouse.catalog.Plan;
import java.util.UUID;
import org.springframework.stereotype.Component;

/** Every organization on the catalog's default plan, until subscriptions say otherwise. */
@Component
class DefaultPlanForEveryOrg implements OrgPlans {

    private final Catalog catalog;

    DefaultPlanForEveryOrg(Catalog catalog) {
        this.catalog = catalog;
    }

    @Override
    public Plan planOf(UUID orgId) {
        return catalog.current().defaultPlan();
    }
}
