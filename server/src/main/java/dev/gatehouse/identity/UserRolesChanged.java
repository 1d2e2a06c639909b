package dev.gatehouse.identity;

import dev.gatehouse.platform.PlatformRole;
import java.time.Instant;
import java.util.Set;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * A superadmin changed a user's platform roles; the user's sessions were ended, so their next access
 * tokens carry the new roles. Published inside the transaction that made the change.
 *
 * @param actorId the superadmin
 * @param userId the user
 * @param roles the user's platform roles after the change ({@code user}, {@code support}, {@code admin},
 *     {@code superadmin})
 * @param sessionsRevoked how many sessions the change ended
 * @param requestId the request
 * @param occurredAt when
 */
public record UserRolesChanged(
        UUID actorId,
        UUID userId,
        Set<PlatformRole> roles,
        int sessionsRevoked,
        @Nullable String requestId,
        Instant occurredAt)
        implements IdentityEvent {

    public UserRolesChanged {
        roles = Set.copyOf(roles);
    }
}
