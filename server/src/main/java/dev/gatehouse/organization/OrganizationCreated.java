package dev.gatehouse.organization;

import java.time.Instant;
import java.util.UUID;

/**
 * An organization was created, with its creator as owner; {@code personal} for the one every user gets at
 * registration.
 */
public record OrganizationCreated(UUID orgId, UUID actorId, String name, boolean personal, Instant at) {}
