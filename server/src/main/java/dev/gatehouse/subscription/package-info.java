/**
 * Subscriptions and entitlements: every organization's one subscription to a catalog plan, its states and plan
 * changes, and the feature check products gate on (allowed, or 402 with what to upgrade to).
 */
@NullMarked
@ApplicationModule(displayName = "Subscription")
package dev.gatehouse.subscription;

import org.jspecify.annotations.NullMarked;
import org.springframework.modulith.ApplicationModule;
