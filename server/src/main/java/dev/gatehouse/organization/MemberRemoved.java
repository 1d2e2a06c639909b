package dev.gatehouse.organization;

import java.time.Instant;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * A member left the organization ({@code actorId} equals {@code targetUserId}) or was removed.
 *
 * @param orgId the organization
 * @param actorId who removed the member, or the member who left
 * @param targetUserId the former member
 * @param role the role the member had
 * @param requestId the request
 * @param occurredAt when
 */
public record MemberRemoved(
        UUID orgId,
        UUID actorId,
        UUID targetUserId,
        OrgRole role,
        @Nullable String requestId,
        Instant occurredAt) implements OrganizationEvent {}
