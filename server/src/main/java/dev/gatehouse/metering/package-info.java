/** Usage metering and quotas: usage events, their aggregation per meter and period, exact quota consumption, alerts. */
@NullMarked
@ApplicationModule(displayName = "Metering")
package dev.gatehouse.metering;

import org.jspecify.annotations.NullMarked;
import org.springframework.modulith.ApplicationModule;
