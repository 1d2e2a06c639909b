package dev.gatehouse.platform;

import java.util.Set;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * Who is calling: the authenticated principal every module reads, set by the bearer-token filter.
 *
 * @param userId the user the request acts as
 * @param sessionId the session the access token belongs to, if any
 * @param roles platform roles ({@code user}, {@code support}, {@code admin}, {@code superadmin})
 * @param actorId the admin behind an impersonation token (RFC 8693 {@code act}), else null
 */
public record Caller(
        UUID userId,
        @Nullable UUID sessionId,
        Set<String> roles,
        @Nullable UUID actorId) {

    public boolean hasRole(String role) {
        return roles.contains(role);
    }
}
