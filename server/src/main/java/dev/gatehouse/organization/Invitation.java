package dev.gatehouse.organization;

import java.time.Instant;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/** An emailed invitation to join an organization with a role; its token exists only in the email. */
record Invitation(
        UUID id,
        UUID orgId,
        String email,
        OrgRole role,
        UUID invitedBy,
        Instant createdAt,
        Instant expiresAt,
        @Nullable Instant acceptedAt,
        @Nullable Instant revokedAt) {

    /** Neither accepted nor revoked; it may still have expired. */
    boolean open() {
        return acceptedAt == null && revokedAt == null;
    }

    boolean expired(Instant now) {
        return !now.isBefore(expiresAt);
    }
}
