/** Organizations, the billing subject: personal and team organizations, members and org roles, email invitations. */
@NullMarked
@ApplicationModule(displayName = "Organization")
package dev.gatehouse.organization;

import org.jspecify.annotations.NullMarked;
import org.springframework.modulith.ApplicationModule;
