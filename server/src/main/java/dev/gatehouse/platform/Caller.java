package dev.gatehouse.platform;

import java.util.Set;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * Who is calling: the authenticated principal every module reads, set by the bearer-token filter.
 *
 * <p>A caller is either a user (an access JWT) or the product's backend (a service key, role
 * {@link PlatformRole#SERVICE}). A service caller may use only the routes {@code SecurityConfiguration} lists for
 * it, and no user route accepts it.
 *
 * @param userId the user the request acts as; for a service caller, the service key's id
 * @param sessionId the session the access token belongs to, if any
 * @param roles the user's platform roles, or exactly {@link PlatformRole#SERVICE} for a service key
 * @param actorId the admin behind an impersonation token (RFC 8693 {@code act}), else null
 */
public record Caller(
        UUID userId,
        @Nullable UUID sessionId,
        Set<PlatformRole> roles,
        @Nullable UUID actorId) {

    public boolean hasRole(PlatformRole role) {
        return roles.contains(role);
    }
}
