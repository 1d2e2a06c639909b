package dev.gatehouse.apikey;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.util.Collection;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.annotation.Autowired;
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
 * must not put back what it read before the change committed, not even for an instant (a client that was
 * told "revoked" by a fresh read must never be told "valid" by a stale one after it). Two rules see to that:
 * <ul>
 *   <li>A generation counter, bumped before every eviction's sweep: a load that saw it move while it ran
 *       stores nothing and removes whatever is cached for the secret (a stale entry that another load put
 *       meanwhile included). Either the sweep sees an entry put before that check, or the check sees the
 *       new generation.
 *   <li>A load never replaces a newer entry: entries carry the row's {@code changed_at}, which every change
 *       moves forward under the row's lock, so a load that read before the change commits cannot overwrite
 *       what a load after the commit stored before the after-commit eviction ran.
 * </ul>
 *
 * <p>The cache is trusted only while the change feed is being read: if it has not been read for
 * {@code stale-after} (PostgreSQL unreachable from this node), every verification asks PostgreSQL until it is.
 */
@Component
class KeyCache {

    private final Cache<KeyHash, CachedKey> known;
    private final Cache<KeyHash, Boolean> unknown;
    private final Function<KeyHash, Optional<ApiKeys.Match>> loader;
    private final long staleAfterNanos;
    private final AtomicLong generation = new AtomicLong();
    private volatile long feedReadAt;
    private volatile boolean feedEverRead;

    @Autowired
    KeyCache(ApiKeys keys, ApiKeySettings settings) {
        this(keys::byHash, settings);
    }

    /** With the row lookup given, so a test can hold a load at the moment a race needs it. */
    KeyCache(Function<KeyHash, Optional<ApiKeys.Match>> loader, ApiKeySettings settings) {
        this.loader = loader;
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
        CachedKey stored = known.asMap().compute(hash, (h, cached) -> {
            if (generation.get() != before) return cached;
            return cached == null || !cached.changedAt().isAfter(loaded.changedAt()) ? loaded : cached;
        });
        if (generation.get() != before || stored == null) {
            known.invalidate(hash);
            return loaded;
        }
        return stored;
    }

    private @Nullable CachedKey load(KeyHash hash) {
        return loader.apply(hash).map(CachedKey::of).orElse(null);
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
