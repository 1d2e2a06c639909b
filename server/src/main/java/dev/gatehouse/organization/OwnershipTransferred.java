package dev.gatehouse.organization;

import java.time.Instant;
import java.util.UUID;

/**
 * An owner handed ownership to another member: the target became owner, the actor became admin.
 *
 * @param targetPreviousRole the target's role before the transfer
 * @param actorRole the actor's role after it (always {@link OrgRole#ADMIN})
 */
public record OwnershipTransferred(
        UUID orgId, UUID actorId, UUID targetUserId, OrgRole targetPreviousRole, OrgRole actorRole, Instant at) {}
