/** The plan catalog: plans, features, limits, meters and rate-limit policies from a validated, versioned plans.yml. */
@NullMarked
@ApplicationModule(displayName = "Catalog")
package dev.gatehouse.catalog;

import org.jspecify.annotations.NullMarked;
import org.springframework.modulith.ApplicationModule;
