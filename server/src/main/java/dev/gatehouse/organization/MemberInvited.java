package dev.gatehouse.organization;

import java.time.Instant;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * An invitation was emailed.
 *
 * @param orgId the organization
 * @param actorId the owner or admin who invited
 * @param targetUserId the account that has the invited address today, or null when there is none yet
 * @param invitationId the invitation
 * @param email the invited address
 * @param role the role the invitee gets on accepting
 * @param expiresAt until when it can be accepted
 * @param requestId the request
 * @param occurredAt when
 */
public record MemberInvited(
        UUID orgId,
        UUID actorId,
        @Nullable UUID targetUserId,
        UUID invitationId,
        String email,
        OrgRole role,
        Instant expiresAt,
        @Nullable String requestId,
        Instant occurredAt)
        implements OrganizationEvent {}
