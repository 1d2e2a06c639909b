package dev.gatehouse.identity;

import java.time.Instant;

/**
 * A brute-force subject reached its limit and is locked. Published inside the transaction that counted
 * the failure.
 *
 * @param subject what is locked: {@code login:account:<email>}, {@code login:ip:<address>} or
 *     {@code register:ip:<address>}
 */
public record SignInLockedOut(String subject, Instant at, Instant lockedUntil) {}
