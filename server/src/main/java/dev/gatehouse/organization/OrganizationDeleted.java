package dev.gatehouse.organization;

import java.time.Instant;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * An organization was deleted (soft: its rows remain, every route answers 404); its open invitations were
 * revoked ({@link InvitationRevoked} each) in the same transaction.
 *
 * @param orgId the organization
 * @param actorId the owner who deleted it
 * @param requestId the request
 * @param occurredAt when
 */
public record OrganizationDeleted(
        UUID orgId, UUID actorId, @Nullable String requestId, Instant occurredAt) implements OrganizationEvent {}
