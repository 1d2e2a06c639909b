package dev.gatehouse.organization;

import java.time.Instant;
import java.util.UUID;

/**
 * A user accepted an invitation and became a member; the actor and the target are the same user.
 *
 * @param invitedBy who sent the invitation
 */
public record InvitationAccepted(
        UUID orgId, UUID actorId, UUID targetUserId, UUID invitationId, UUID invitedBy, OrgRole role, Instant at) {}
