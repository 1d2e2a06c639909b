package dev.gatehouse.identity;

import java.util.UUID;

/**
 * What other modules may know about a user: enough to show them and to match an emailed address.
 *
 * @param id the user id
 * @param email the normalized (lower-case) address
 * @param emailVerified whether the user proved control of the address
 * @param name the display name
 * @param locale the language of the user's emails
 * @param active false when the account is suspended
 */
public record UserSummary(UUID id, String email, boolean emailVerified, String name, String locale, boolean active) {}
