package dev.gatehouse.identity;

import java.time.Instant;
import java.util.Set;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * An admin acted on a user's account. Published inside the transaction that made the change, so a
 * listener that writes in it (the audit log) commits or rolls back with the change.
 *
 * @param action {@code user.suspended}, {@code user.activated}, {@code user.roles_changed},
 *     {@code user.sessions_revoked} or {@code user.impersonation_started}
 * @param actorId the admin
 * @param userId the user acted on
 * @param roles the user's platform roles after the change (for {@code user.roles_changed}), else null
 * @param sessionsRevoked how many sessions the change ended
 */
public record UserAdministered(
        String action, UUID actorId, UUID userId, @Nullable Set<String> roles, int sessionsRevoked, Instant at) {}
