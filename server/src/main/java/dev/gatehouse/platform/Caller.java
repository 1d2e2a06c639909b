package dev.gatehouse.platform;

import java.util.Set;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * Who is calling: the authenticated principal every module reads, set by the bearer-token filter.
 *
 * <p>A caller is a user (an access JWT), the product's backend (a service key, role {@link PlatformRole#SERVICE}),
 * or an organization's API key (role {@link PlatformRole#ORG_KEY}). The last two may use only the routes whose
 * permission names their role, and no user route accepts them.
 *
 * @param userId the user the request acts as; for a service key or an org API key, the key's id
 * @param sessionId the session the access token belongs to, if any
 * @param roles the user's platform roles, or exactly {@link PlatformRole#SERVICE} for a service key
 * @param actorId the admin behind an impersonation token (RFC 8693 {@code act}), else null
 * @param orgId for an organization's API key ({@link PlatformRole#ORG_KEY}), its organization; else null
 * @param scopes for an organization's API key, its scopes (such as {@code usage:write}); else empty
 */
public record Caller(
        UUID userId,
        @Nullable UUID sessionId,
        Set<PlatformRole> roles,
        @Nullable UUID actorId,
        @Nullable UUID orgId,
        Set<String> scopes) {

    /** A person or a service key: no organization of its own, no scopes. */
    public Caller(UUID userId, @Nullable UUID sessionId, Set<PlatformRole> roles, @Nullable UUID actorId) {
        this(userId, sessionId, roles, actorId, null, Set.of());
    }

    /** An organization's API key: the key's id, its organization and scopes. */
    public static Caller orgKey(UUID keyId, UUID orgId, Set<String> scopes) {
        return new Caller(keyId, null, Set.of(PlatformRole.ORG_KEY), null, orgId, Set.copyOf(scopes));
    }

    public boolean hasRole(PlatformRole role) {
        return roles.contains(role);
    }
}
