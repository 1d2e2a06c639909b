package dev.gatehouse.organization;

import java.time.Instant;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * An open invitation was revoked: by an owner or admin, replaced by a new invitation to the same address,
 * or with its organization.
 *
 * @param orgId the organization
 * @param actorId who revoked it (or replaced it, or deleted the organization)
 * @param invitationId the invitation
 * @param email the invited address
 * @param role the role it offered
 * @param requestId the request
 * @param occurredAt when
 */
public record InvitationRevoked(
        UUID orgId,
        UUID actorId,
        UUID invitationId,
        String email,
        OrgRole role,
        @Nullable String requestId,
        Instant occurredAt)
        implements OrganizationEvent {}
