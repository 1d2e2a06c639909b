package dev.gatehouse.organization;

import java.time.Instant;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * A user accepted an invitation and became a member; the actor and the target are the same user.
 *
 * @param orgId the organization
 * @param actorId the user who accepted
 * @param targetUserId the new member (the same user)
 * @param invitationId the invitation
 * @param invitedBy who sent the invitation
 * @param role the new member's role
 * @param requestId the request
 * @param occurredAt when
 */
public record InvitationAccepted(
        UUID orgId,
        UUID actorId,
        UUID targetUserId,
        UUID invitationId,
        UUID invitedBy,
        OrgRole role,
        @Nullable String requestId,
        Instant occurredAt)
        implements OrganizationEvent {}
