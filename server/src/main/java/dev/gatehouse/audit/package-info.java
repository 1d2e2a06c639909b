/** The tamper-evident audit log: an append-only, hash-chained record of who did what, searchable and verifiable. */
@NullMarked
@ApplicationModule(displayName = "Audit")
package dev.gatehouse.audit;

import org.jspecify.annotations.NullMarked;
import org.springframework.modulith.ApplicationModule;
