/** Onboarding: versioned checklists, each user's weighted progress through them, snoozes and gates. */
@NullMarked
@ApplicationModule(displayName = "Onboarding")
package dev.gatehouse.onboarding;

import org.jspecify.annotations.NullMarked;
import org.springframework.modulith.ApplicationModule;
