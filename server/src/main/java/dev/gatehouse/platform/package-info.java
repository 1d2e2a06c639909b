/** Cross-cutting plumbing: problem details, request ids, idempotency, security, clock, embedded database. */
@NullMarked
@ApplicationModule(displayName = "Platform")
package dev.gatehouse.platform;

import org.jspecify.annotations.NullMarked;
import org.springframework.modulith.ApplicationModule;
