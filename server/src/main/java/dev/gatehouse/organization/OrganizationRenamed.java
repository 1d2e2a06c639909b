package dev.gatehouse.organization;

import java.time.Instant;
import java.util.UUID;

/** An organization's name changed. */
public record OrganizationRenamed(UUID orgId, UUID actorId, String previousName, String name, Instant at) {}
