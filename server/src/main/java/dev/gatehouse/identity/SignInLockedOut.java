package dev.gatehouse.identity;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * A brute-force subject reached its limit and is locked. Published inside the transaction that counted
 * the failure.
 *
 * @param subject what is locked: {@code login:account:<email>}, {@code login:ip:<address>} or
 *     {@code register:ip:<address>}
 * @param lockedUntil when the lock ends
 * @param requestId the request whose failure reached the limit
 * @param occurredAt when
 */
public record SignInLockedOut(
        String subject, Instant lockedUntil, @Nullable String requestId, Instant occurredAt) implements IdentityEvent {}
