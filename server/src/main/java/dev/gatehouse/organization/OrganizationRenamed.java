package dev.gatehouse.organization;

import java.time.Instant;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * An organization's name changed.
 *
 * @param orgId the organization
 * @param actorId who renamed it
 * @param previousName the name before
 * @param name the name now
 * @param requestId the request
 * @param occurredAt when
 */
public record OrganizationRenamed(
        UUID orgId,
        UUID actorId,
        String previousName,
        String name,
        @Nullable String requestId,
        Instant occurredAt) implements OrganizationEvent {}
