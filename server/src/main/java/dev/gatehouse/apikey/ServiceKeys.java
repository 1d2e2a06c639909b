package dev.gatehouse.apikey;

import dev.gatehouse.apikey.ApiKey.Kind;
import dev.gatehouse.audit.AuditEntry;
import dev.gatehouse.audit.AuditLog;
import dev.gatehouse.platform.Caller;
import dev.gatehouse.platform.Page;
import dev.gatehouse.platform.PageCursor;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Service keys, the product backend's credentials: created, listed, revoked and rotated by platform admins.
 *
 * <p><b>Rotation without downtime.</b> Rotating gives the key a new secret under the same id and keeps the
 * current secret working for an overlap (24 hours by default, at most 7 days), long enough to roll the new
 * secret out to every backend instance. A key holds at most two secrets: rotating again during an overlap
 * retires the older previous secret at once, and an overlap of 0 retires the current one at once (for a
 * leaked secret).
 */
@Service
class ServiceKeys {

    private final ApiKeys keys;
    private final AuditLog audit;
    private final KeyCache cache;
    private final TransactionTemplate tx;
    private final Clock clock;

    ServiceKeys(ApiKeys keys, AuditLog audit, KeyCache cache, TransactionTemplate tx, Clock clock) {
        this.keys = keys;
        this.audit = audit;
        this.cache = cache;
        this.tx = tx;
        this.clock = clock;
    }

    Page<ApiKey> list(@Nullable PageCursor after, int limit) {
        return keys.servicePage(after, limit);
    }

    record WithSecret(ApiKey key, String secret) {}

    WithSecret create(Caller caller, KeyRequests.NewKey request) {
        Instant now = now();
        String name = request.name().strip();
        List<String> scopes = request.scopeList();
        Instant expiresAt = request.expiry(now);
        return write(() -> {
            String secret = KeySecrets.SERVICE.generate();
            ApiKey key = ApiKey.fresh(Kind.SERVICE, null, name, secret, scopes, expiresAt, caller.userId(), now);
            keys.insert(key, KeySecrets.hash(secret));
            audit.record(AuditEntry.by(caller, "service_key.created")
                    .target("service_key", key.id())
                    .detail("name", name)
                    .detail("prefix", key.prefix())
                    .detail("scopes", scopes)
                    .detail("expires_at", expiresAt));
            return new WithSecret(key, secret);
        });
    }

    /** Revokes the key (every secret of it); revoking a revoked key changes nothing. */
    ApiKey revoke(Caller caller, UUID id) {
        Instant now = now();
        return write(() -> {
            ApiKey key = keys.service(id, /* lock= */ true).orElseThrow(KeyFailures::serviceKeyNotFound);
            if (key.revokedAt() != null) return key;
            keys.revoke(id, caller.userId(), now);
            audit.record(AuditEntry.by(caller, "service_key.revoked")
                    .target("service_key", id)
                    .detail("name", key.name())
                    .detail("prefix", key.prefix()));
            cache.evictNowAndAfterCommit(List.of(id));
            return key;
        });
    }

    WithSecret rotate(Caller caller, UUID id, Duration overlap) {
        Instant now = now();
        return write(() -> {
            ApiKey key = keys.service(id, /* lock= */ true).orElseThrow(KeyFailures::serviceKeyNotFound);
            if (key.revokedAt() != null) throw KeyFailures.keyRevoked();
            if (key.expiresAt() != null && !key.expiresAt().isAfter(now)) throw KeyFailures.keyExpired();
            String secret = KeySecrets.SERVICE.generate();
            Instant previousValidUntil = now.plus(overlap);
            keys.rotate(id, KeySecrets.hash(secret), KeySecrets.visiblePrefix(secret), previousValidUntil);
            audit.record(AuditEntry.by(caller, "service_key.rotated")
                    .target("service_key", id)
                    .detail("name", key.name())
                    .detail("prefix", KeySecrets.visiblePrefix(secret))
                    .detail("previous_prefix", key.prefix())
                    .detail("overlap_seconds", overlap.toSeconds())
                    .detail("previous_valid_until", previousValidUntil));
            cache.evictNowAndAfterCommit(List.of(id));
            ApiKey rotated = keys.service(id, /* lock= */ false).orElseThrow(KeyFailures::serviceKeyNotFound);
            return new WithSecret(rotated, secret);
        });
    }

    private <T> T write(Supplier<T> work) {
        T result = tx.execute(status -> work.get());
        if (result == null) throw new IllegalStateException("the transaction returned nothing");
        return result;
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }
}
