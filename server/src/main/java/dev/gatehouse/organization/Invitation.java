package dev.gatehouse.organization;

import com.fasterxml.jackson.annotation.JsonValue;
import java.time.Instant;
import java.util.Locale;
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

    /**
     * Where an invitation is: {@code pending} until it is accepted or revoked, and {@code expired} when its time
     * ran out while pending (it still counts as open: it can be seen, revoked, or replaced by a new one).
     */
    enum Status {
        PENDING,
        EXPIRED,
        ACCEPTED,
        REVOKED;

        @JsonValue
        String wire() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    Status status(Instant now) {
        if (revokedAt != null) return Status.REVOKED;
        if (acceptedAt != null) return Status.ACCEPTED;
        return expired(now) ? Status.EXPIRED : Status.PENDING;
    }

    /** Neither accepted nor revoked; it may still have expired. */
    boolean open() {
        return acceptedAt == null && revokedAt == null;
    }

    boolean expired(Instant now) {
        return !now.isBefore(expiresAt);
    }

    /**
     * The invitation accepted at {@code now}; only a pending one can be, and the refusal says what happened to
     * it instead (410 revoked, used or expired).
     */
    Invitation accept(Instant now) {
        return switch (status(now)) {
            case PENDING -> new Invitation(id, orgId, email, role, invitedBy, createdAt, expiresAt, now, null);
            case REVOKED -> throw OrgFailures.invitationRevoked();
            case ACCEPTED -> throw OrgFailures.invitationUsed();
            case EXPIRED -> throw OrgFailures.invitationExpired();
        };
    }

    /** The invitation revoked at {@code now}; only an open one (pending or expired) can be. */
    Invitation revoke(Instant now) {
        if (!open()) throw OrgFailures.invitationNotPending();
        return new Invitation(id, orgId, email, role, invitedBy, createdAt, expiresAt, null, now);
    }
}
