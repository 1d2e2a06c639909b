/** Platform administration that spans modules: the platform statistics. */
@NullMarked
@ApplicationModule(displayName = "Admin")
package dev.gatehouse.admin;

import org.jspecify.annotations.NullMarked;
import org.springframework.modulith.ApplicationModule;
