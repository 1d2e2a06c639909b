/**
 * Rate limiting: GCRA limits per scope (IP, user, organization, API key, route group) and plan, in memory or on
 * Redis, applied to every {@code /api} request and offered to the product through a check API.
 */
@NullMarked
@ApplicationModule(displayName = "Rate limits")
package dev.gatehouse.ratelimit;

import org.jspecify.annotations.NullMarked;
import org.springframework.modulith.ApplicationModule;
