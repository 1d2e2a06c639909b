package dev.gatehouse.identity;

import java.time.Instant;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * A new account exists: published inside the transaction that created it (registration, or the bootstrap
 * superadmin), so a synchronous listener's writes commit or roll back with the account.
 *
 * @param userId the new user's id
 * @param email the normalized (lower-case) address, not yet verified for a registration
 * @param name the display name
 * @param locale the language of the user's emails ({@code en}, {@code es}, {@code fr} or {@code hi})
 * @param requestId the request that registered, null for the bootstrap superadmin
 * @param occurredAt when the account was created
 */
public record UserRegistered(
        UUID userId,
        String email,
        String name,
        String locale,
        @Nullable String requestId,
        Instant occurredAt) implements IdentityEvent {}
