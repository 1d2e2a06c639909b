package dev.gatehouse.organization;

import java.time.Instant;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * An invitation was emailed.
 *
 * @param targetUserId the account that has the invited address today, or null when there is none yet
 */
public record MemberInvited(
        UUID orgId,
        UUID actorId,
        @Nullable UUID targetUserId,
        UUID invitationId,
        String email,
        OrgRole role,
        Instant expiresAt,
        Instant at) {}
