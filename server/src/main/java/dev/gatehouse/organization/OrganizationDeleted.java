package dev.gatehouse.organization;

import java.time.Instant;
import java.util.UUID;

/** An organization was deleted (soft: its rows remain, every route answers 404); its open invitations were revoked. */
public record OrganizationDeleted(UUID orgId, UUID actorId, Instant at) {}
