package dev.gatehouse.organization;

import java.time.Instant;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * A member's role changed (not through an ownership transfer, which is {@link OwnershipTransferred}).
 *
 * @param orgId the organization
 * @param actorId who changed it
 * @param targetUserId the member
 * @param previousRole the role before
 * @param role the role now
 * @param requestId the request
 * @param occurredAt when
 */
public record MemberRoleChanged(
        UUID orgId,
        UUID actorId,
        UUID targetUserId,
        OrgRole previousRole,
        OrgRole role,
        @Nullable String requestId,
        Instant occurredAt)
        implements OrganizationEvent {}
