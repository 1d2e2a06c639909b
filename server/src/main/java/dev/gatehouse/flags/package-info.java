/** Feature flags: flags, segments and kill switches, their admin API and versions, and evaluation on every node. */
@NullMarked
@ApplicationModule(displayName = "Feature flags")
package dev.gatehouse.flags;

import org.jspecify.annotations.NullMarked;
import org.springframework.modulith.ApplicationModule;
