package dev.gatehouse.apikey;

import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * A key as the API shows it. The secret ({@code key}) appears only in the answer that made it (creation,
 * rotation) and never again: only its hash is kept.
 *
 * @param orgId the owning organization (org keys only)
 * @param prefix the secret's first 12 characters, to tell keys apart
 * @param status {@code active}, {@code expired} or {@code revoked}
 * @param lastUsedAt the last time the key was presented, a few seconds behind (written in batches)
 * @param previousSecretValidUntil after a service key's rotation, until when its previous secret still works
 * @param key the secret; only in the creation or rotation answer
 */
record KeyView(
        UUID id,
        @Nullable UUID orgId,
        String name,
        String prefix,
        List<String> scopes,
        ApiKey.Status status,
        @Nullable Instant expiresAt,
        Instant createdAt,
        UUID createdBy,
        @Nullable Instant lastUsedAt,
        @Nullable Instant revokedAt,
        @Nullable Instant previousSecretValidUntil,
        @Nullable String key) {

    static KeyView of(ApiKey k, Instant now) {
        return of(k, now, null);
    }

    static KeyView of(ApiKey k, Instant now, @Nullable String secret) {
        Instant previous = k.previousValidUntil();
        boolean overlapping = previous != null && previous.isAfter(now) && k.revokedAt() == null;
        return new KeyView(
                k.id(),
                k.orgId(),
                k.name(),
                k.prefix(),
                k.scopes(),
                k.status(now),
                k.expiresAt(),
                k.createdAt(),
                k.createdBy(),
                k.lastUsedAt(),
                k.revokedAt(),
                overlapping ? previous : null,
                secret);
    }

    record Page(List<KeyView> data, @Nullable String nextCursor) {}
}
