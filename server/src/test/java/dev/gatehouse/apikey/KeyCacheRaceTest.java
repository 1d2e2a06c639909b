package dev.gatehouse.apikey;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.apikey.ApiKey.Kind;
import dev.gatehouse.apikey.CachedKey.Status;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The interleavings {@link RevocationRaceTest} can only hit by chance, forced: a load that read the key before
 * its revocation committed finishes after a load that read it afterwards. The fresh answer must stay.
 */
class KeyCacheRaceTest {

    private static final Instant NOW = Instant.now();
    private static final UUID KEY = UUID.randomUUID();
    private static final UUID ORG = UUID.randomUUID();
    private static final KeyHash HASH = KeySecrets.hash("gh_test_race");

    private static final ApiKeySettings SETTINGS = new ApiKeySettings(
            100,
            1_000,
            Duration.ofMinutes(10),
            Duration.ofSeconds(10),
            Duration.ofMillis(250),
            Duration.ofSeconds(30),
            Duration.ofSeconds(5),
            Duration.ofSeconds(5));

    private static ApiKeys.Match row(boolean revoked, Instant changedAt) {
        return new ApiKeys.Match(
                KEY, Kind.ORG, ORG, List.of("read"), null, revoked ? changedAt : null, null, true, changedAt);
    }

    /** The first load waits for {@code release} and returns the key as it was; every later load, revoked. */
    private static final class Rows {
        final CountDownLatch staleReading = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        final AtomicInteger loads = new AtomicInteger();

        Optional<ApiKeys.Match> load(KeyHash hash) {
            if (loads.incrementAndGet() == 1) {
                staleReading.countDown();
                try {
                    assertThat(release.await(10, TimeUnit.SECONDS)).isTrue();
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
                return Optional.of(row(false, NOW.minusSeconds(60)));
            }
            return Optional.of(row(true, NOW));
        }
    }

    private static KeyCache cache(Rows rows) {
        KeyCache cache = new KeyCache(rows::load, SETTINGS);
        cache.feedRead();
        return cache;
    }

    @Test
    void aStaleLoadFinishingLastDoesNotReplaceTheRevocationAFreshLoadStored() throws Exception {
        Rows rows = new Rows();
        KeyCache cache = cache(rows);
        // The revoking transaction evicts before it commits; the stale load starts after that.
        cache.evict(List.of(KEY));
        CompletableFuture<CachedKey> stale = CompletableFuture.supplyAsync(() -> cache.find(HASH));
        assertThat(rows.staleReading.await(10, TimeUnit.SECONDS)).isTrue();

        // The revocation commits; before its after-commit eviction runs, a fresh load stores it.
        assertThat(cache.find(HASH).status(NOW)).isEqualTo(Status.REVOKED);
        rows.release.countDown();
        // The stale load answers with the newer state it found stored, not with what it read.
        assertThat(stale.get(10, TimeUnit.SECONDS).status(NOW)).isEqualTo(Status.REVOKED);

        // A client told "revoked" is never told "valid" after it.
        assertThat(cache.find(HASH).status(NOW)).isEqualTo(Status.REVOKED);
        assertThat(rows.loads).hasValue(2);
    }

    @Test
    void aLoadThatAnEvictionOvertookStoresNothing() throws Exception {
        Rows rows = new Rows();
        KeyCache cache = cache(rows);
        CompletableFuture<CachedKey> stale = CompletableFuture.supplyAsync(() -> cache.find(HASH));
        assertThat(rows.staleReading.await(10, TimeUnit.SECONDS)).isTrue();

        cache.evict(List.of(KEY));
        rows.release.countDown();
        assertThat(stale.get(10, TimeUnit.SECONDS).status(NOW)).isEqualTo(Status.ACTIVE);

        // Nothing stale was kept: the next verification reads the row again and sees the revocation.
        assertThat(cache.find(HASH).status(NOW)).isEqualTo(Status.REVOKED);
        assertThat(rows.loads).hasValue(2);
    }
}
