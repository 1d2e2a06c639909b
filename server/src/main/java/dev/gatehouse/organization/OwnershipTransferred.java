package dev.gatehouse.organization;

import java.time.Instant;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * An owner handed ownership to another member: the target became owner, the actor became admin.
 *
 * @param orgId the organization
 * @param actorId the previous owner
 * @param targetUserId the new owner
 * @param targetPreviousRole the target's role before the transfer
 * @param actorRole the actor's role after it (always {@link OrgRole#ADMIN})
 * @param requestId the request
 * @param occurredAt when
 */
public record OwnershipTransferred(
        UUID orgId,
        UUID actorId,
        UUID targetUserId,
        OrgRole targetPreviousRole,
        OrgRole actorRole,
        @Nullable String requestId,
        Instant occurredAt)
        implements OrganizationEvent {}
