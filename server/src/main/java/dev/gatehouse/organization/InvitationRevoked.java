package dev.gatehouse.organization;

import java.time.Instant;
import java.util.UUID;

/** An open invitation was revoked: by an owner or admin, or replaced by a new invitation to the same address. */
public record InvitationRevoked(UUID orgId, UUID actorId, UUID invitationId, String email, OrgRole role, Instant at) {}
