package dev.gatehouse.organization;

import java.time.Instant;
import java.util.UUID;

/**
 * A member left the organization ({@code actorId} equals {@code targetUserId}) or was removed.
 *
 * @param role the role the member had
 */
public record MemberRemoved(UUID orgId, UUID actorId, UUID targetUserId, OrgRole role, Instant at) {}
