package dev.gatehouse.apikey;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.util.Collection;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * This node's memory of keys, by the SHA-256 of the presented secret (never the secret): a verification that
 * hits it does not touch PostgreSQL. Unknown secrets are remembered too, briefly and apart, so a flood of
 * made-up keys cannot push real ones out.
 *
 * <p>Correctness rests on eviction: {@link KeyChangeFeed} evicts every key that changed anywhere in the
 * cluster, and this node's own writes evict at once and again after commit. A read that races an eviction
 * must not put back what it read before the change committed; a generation counter, bumped before every
 * eviction, catches that: a load that sees the generation move while it ran removes its own entry. (Either
 * the eviction's sweep sees the entry, or the load sees the new generation: the sweep starts after the bump,
 * the load checks after its put.)
 *
 * <p>The cache is trusted only while the change feed is being read: if it has not been read for
 * {@code stale-after} (PostgreSQL unreachable from this node), every verification asks PostgreSQL until it is.
 */
@Component
class KeyCache {

    private final Cache<KeyHash, CachedKey> known;
    private final Cache<KeyHash, Boolean> unknown;
    private final ApiKeys keys;
    private final long staleAfterNanos;
    private final AtomicLong generation = new AtomicLong();
    private volatile long feedReadAt;
    private volatile boolean feedEverRead;

    KeyCache(ApiKeys keys, ApiKeySettings settings) {
        this.keys = keys;
        this.staleAfterNanos = settings.staleAfter().toNanos();
        this.known = Caffeine.newBuilder()
                .maximumSize(settings.cacheSize())
                .expireAfterWrite(settings.cacheTtl())
                .build();
        this.unknown = Caffeine.newBuilder()
                .maximumSize(settings.cacheSize())
                .expireAfterWrite(settings.unknownTtl())
                .build();
    }

    /** The key whose current or previous secret has this hash, or null if there is none. */
    @Nullable
    CachedKey find(KeyHash hash) {
        if (!trusted()) return load(hash);
        CachedKey hit = known.getIfPresent(hash);
        if (hit != null) return hit;
        if (unknown.getIfPresent(hash) != null) return null;
        long before = generation.get();
        CachedKey loaded = load(hash);
        if (loaded == null) {
            // Secrets are random: a hash that is unknown now cannot become a key later.
            unknown.put(hash, Boolean.TRUE);
            return null;
        }
        known.put(hash, loaded);
        if (generation.get() != before) known.asMap().remove(hash, loaded);
        return loaded;
    }

    private @Nullable CachedKey load(KeyHash hash) {
        return keys.byHash(hash).map(CachedKey::of).orElse(null);
    }

    /** Forgets every secret of these keys (current and previous). */
    void evict(Collection<java.util.UUID> keyIds) {
        if (keyIds.isEmpty()) return;
        generation.incrementAndGet();
        known.asMap().values().removeIf(k -> keyIds.contains(k.keyId()));
    }

    /** Evicts now and again after the current transaction commits, so a read in between cannot keep the old state. */
    void evictNowAndAfterCommit(Collection<java.util.UUID> keyIds) {
        evict(keyIds);
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCommit() {
                    evict(keyIds);
                }
            });
        }
    }

    /** The change feed was read successfully just now. */
    void feedRead() {
        feedReadAt = System.nanoTime();
        feedEverRead = true;
    }

    boolean trusted() {
        return feedEverRead && System.nanoTime() - feedReadAt < staleAfterNanos;
    }

    long size() {
        return known.estimatedSize();
    }
}
