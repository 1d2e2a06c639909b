package dev.gatehouse.organization;

import java.time.Instant;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * An organization was created, with its creator as owner.
 *
 * @param orgId the organization
 * @param actorId its creator and first owner
 * @param name its name
 * @param personal whether it is the personal organization every user gets at registration
 * @param requestId the request
 * @param occurredAt when
 */
public record OrganizationCreated(
        UUID orgId,
        UUID actorId,
        String name,
        boolean personal,
        @Nullable String requestId,
        Instant occurredAt) implements OrganizationEvent {}
