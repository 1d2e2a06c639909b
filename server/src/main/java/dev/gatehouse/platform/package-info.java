/**
 * Cross-cutting plumbing: problem details, request ids, strict JSON input, idempotency keys, deprecation
 * headers, the OpenAPI document, security, clock, embedded database.
 */
@NullMarked
@ApplicationModule(displayName = "Platform")
package dev.gatehouse.platform;

import org.jspecify.annotations.NullMarked;
import org.springframework.modulith.ApplicationModule;
