package dev.gatehouse.apikey;

import com.fasterxml.jackson.annotation.JsonValue;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * One row of {@code api_keys}: an organization's API key or a service key, without its secret.
 *
 * @param orgId the owning organization (org keys only)
 * @param prefix the first characters of the current secret, for people to tell keys apart
 * @param previousValidUntil while a rotated service key's previous secret is still accepted, until when
 * @param lastUsedAt when the key was last presented, as of the last flush (a few seconds behind)
 */
record ApiKey(
        UUID id,
        Kind kind,
        @Nullable UUID orgId,
        String name,
        String prefix,
        List<String> scopes,
        @Nullable Instant expiresAt,
        UUID createdBy,
        Instant createdAt,
        @Nullable Instant lastUsedAt,
        @Nullable Instant revokedAt,
        @Nullable UUID revokedBy,
        @Nullable Instant previousValidUntil) {

    /** A new, never used key whose secret is {@code secret} (only its prefix is kept here). */
    static ApiKey fresh(
            Kind kind,
            @Nullable UUID orgId,
            String name,
            String secret,
            List<String> scopes,
            @Nullable Instant expiresAt,
            UUID createdBy,
            Instant now) {
        return new ApiKey(
                UUID.randomUUID(),
                kind,
                orgId,
                name,
                KeySecrets.visiblePrefix(secret),
                scopes,
                expiresAt,
                createdBy,
                now,
                null,
                null,
                null,
                null);
    }

    enum Kind {
        ORG,
        SERVICE;

        String wire() {
            return this == ORG ? "org" : "service";
        }

        static Kind of(String wire) {
            return "org".equals(wire) ? ORG : SERVICE;
        }
    }

    /** Where a key is at a moment, as the API shows it: derived from its revocation and expiry, never stored. */
    enum Status {
        ACTIVE,
        EXPIRED,
        REVOKED;

        @JsonValue
        String wire() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** The key's status at {@code now}; revocation wins over expiry. */
    Status status(Instant now) {
        if (revokedAt != null) return Status.REVOKED;
        if (expiresAt != null && !expiresAt.isAfter(now)) return Status.EXPIRED;
        return Status.ACTIVE;
    }
}
