package dev.gatehouse.apikey;

import dev.gatehouse.apikey.ApiKey.Kind;
import dev.gatehouse.platform.Caller;
import dev.gatehouse.platform.PlatformRole;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * What a node remembers about one secret, enough to answer without PostgreSQL: the key's state and the answers
 * built once, so a cache hit allocates nothing for them. Time-dependent states (expiry, the end of a rotation
 * overlap) are judged on every hit against the clock; revocation and rotation arrive by eviction.
 *
 * @param changedAt the row's {@code changed_at} when it was read (the database's clock, moved by every change
 *     under the row's lock, so a later read of a changed key always carries a later value)
 * @param secretValidUntil for a rotated service key's previous secret, the end of the overlap; else null
 * @param valid the answer for a valid org key; null for service keys
 * @param caller the caller a valid key authenticates as when sent as a bearer: a service key as the role
 *     {@code service}, an org key as {@code org_key} acting for its organization with its scopes
 */
record CachedKey(
        UUID keyId,
        Kind kind,
        @Nullable Instant expiresAt,
        boolean revoked,
        @Nullable Instant secretValidUntil,
        @Nullable Verification valid,
        Optional<Caller> caller,
        Instant changedAt) {

    enum Status {
        ACTIVE,
        REVOKED,
        EXPIRED,
        /** A service key's previous secret after its rotation overlap ended. */
        RETIRED
    }

    static CachedKey of(ApiKeys.Match m) {
        Instant secretValidUntil = m.current() ? null : m.previousValidUntil();
        if (m.kind() == Kind.ORG && m.orgId() != null) {
            return new CachedKey(
                    m.id(),
                    m.kind(),
                    m.expiresAt(),
                    m.revokedAt() != null,
                    secretValidUntil,
                    Verification.valid(m.id(), m.orgId(), m.scopes(), m.expiresAt()),
                    Optional.of(Caller.orgKey(m.id(), m.orgId(), Set.copyOf(m.scopes()))),
                    m.changedAt());
        }
        Caller caller = new Caller(m.id(), null, java.util.Set.of(PlatformRole.SERVICE), null);
        return new CachedKey(
                m.id(),
                m.kind(),
                m.expiresAt(),
                m.revokedAt() != null,
                secretValidUntil,
                null,
                Optional.of(caller),
                m.changedAt());
    }

    Status status(Instant now) {
        if (revoked) return Status.REVOKED;
        if (expiresAt != null && !expiresAt.isAfter(now)) return Status.EXPIRED;
        if (secretValidUntil != null && !secretValidUntil.isAfter(now)) return Status.RETIRED;
        return Status.ACTIVE;
    }
}
