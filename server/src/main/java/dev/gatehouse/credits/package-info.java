/** Prepaid credits (PT): a double-entry ledger of grants, holds, settlements and debits, exact under concurrency. */
@NullMarked
@ApplicationModule(displayName = "Credits")
package dev.gatehouse.credits;

import org.jspecify.annotations.NullMarked;
import org.springframework.modulith.ApplicationModule;
