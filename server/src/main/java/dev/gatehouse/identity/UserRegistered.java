package dev.gatehouse.identity;

import java.time.Instant;
import java.util.UUID;

/**
 * A new account exists: published inside the transaction that created it (registration, or the bootstrap
 * superadmin), so a synchronous listener's writes commit or roll back with the account.
 *
 * @param userId the new user's id
 * @param email the normalized (lower-case) address, not yet verified for a registration
 * @param name the display name
 * @param locale the language of the user's emails ({@code en}, {@code es}, {@code fr} or {@code hi})
 * @param registeredAt when the account was created
 */
public record UserRegistered(UUID userId, String email, String name, String locale, Instant registeredAt) {}
