package dev.gatehouse.organization;

import java.time.Instant;
import java.util.UUID;

/** A member's role changed (not through an ownership transfer, which is {@link OwnershipTransferred}). */
public record MemberRoleChanged(
        UUID orgId, UUID actorId, UUID targetUserId, OrgRole previousRole, OrgRole role, Instant at) {}
