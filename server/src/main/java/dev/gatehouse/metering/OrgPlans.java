package dev.gatehouse.metering;

import dev.gatehouse.catalog.Plan;
import java.util.UUID;

/** Which plan of the catalog an organization is on now. */
interface OrgPlans {

    Plan planOf(UUID orgId);
}
