package dev.gatehouse.apikey;

import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Makes a revocation or rotation made on any node visible on every node within about one poll interval
 * (250 ms by default): each node reads the keys whose {@code changed_at} moved since its last read and evicts
 * them from its {@link KeyCache}.
 *
 * <p><b>Why polling, not LISTEN/NOTIFY or Redis.</b> Gatehouse runs on N nodes sharing one PostgreSQL, and
 * Redis may be absent, so PostgreSQL is the channel. NOTIFY would be faster, but it needs one dedicated
 * connection per node that stays outside the pool (and does not survive PgBouncer in transaction mode), and
 * notifications sent while that connection is down are lost, so a polling safety net would be needed anyway.
 * The poll alone is cheap: one statement on an indexed column that returns nothing most of the time, four
 * times a second per node, and it cannot miss a change.
 *
 * <p><b>Why it cannot miss one.</b> A trigger sets {@code changed_at} from the database's clock, so the nodes'
 * clocks do not matter. But a transaction sets it before it commits, so a change can become visible after a
 * read that covered its time. Each read therefore reaches {@code change-lookback} (30 s) back before the
 * previous read's time, and remembers which (key, changed_at) pairs it has already evicted, so each change is
 * evicted once even though it is read many times. A change is missed only if its transaction takes longer than
 * the lookback to commit; the cache's own expiry ({@code cache-ttl}) bounds even that. After a failed read the
 * next successful one starts from the last successful read, so an outage loses nothing either; while reads
 * fail, {@link KeyCache} stops trusting itself after {@code stale-after}.
 */
@Component
class KeyChangeFeed implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(KeyChangeFeed.class);

    private final ApiKeys keys;
    private final KeyCache cache;
    private final ApiKeySettings settings;
    /** Changes already evicted, with the changed_at they were evicted for; only the poll thread touches it. */
    private final Map<UUID, Instant> seen = new HashMap<>();

    private volatile @Nullable ScheduledExecutorService executor;
    private @Nullable Instant watermark;
    private int failuresInARow;

    KeyChangeFeed(ApiKeys keys, KeyCache cache, ApiKeySettings settings) {
        this.keys = keys;
        this.cache = cache;
        this.settings = settings;
    }

    @Override
    public void start() {
        if (watermark == null) {
            // Nothing is cached before the first start, so the feed can begin at the database's present.
            watermark = keys.databaseNow();
            cache.feedRead();
        } else {
            // A restart: catch up from the last successful read, so nothing changed while stopped is missed.
            poll();
        }
        long interval = settings.pollInterval().toNanos();
        executor = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().daemon().name("api-key-change-feed").factory());
        executor.scheduleWithFixedDelay(this::pollQuietly, interval, interval, TimeUnit.NANOSECONDS);
    }

    /** Reads the feed once and evicts what changed; returns how many keys were evicted. */
    synchronized int poll() {
        Instant last = watermark;
        if (last == null) throw new IllegalStateException("the change feed has not started");
        Instant since = last.minus(settings.changeLookback());
        ApiKeys.Changes changes = keys.changedSince(since);
        Set<UUID> changed = new HashSet<>();
        changes.changed().forEach((id, at) -> {
            if (!at.equals(seen.put(id, at))) changed.add(id);
        });
        cache.evict(changed);
        // The next read starts at polledAt - lookback; older changes will not come back, so forget them.
        Instant nextSince = changes.polledAt().minus(settings.changeLookback());
        seen.values().removeIf(at -> !at.isAfter(nextSince));
        watermark = changes.polledAt();
        cache.feedRead();
        return changed.size();
    }

    private void pollQuietly() {
        try {
            poll();
            if (failuresInARow > 0) {
                log.info("api_key_change_feed_recovered after_failures={}", failuresInARow);
                failuresInARow = 0;
            }
        } catch (RuntimeException e) {
            // Logged on the first failure and then every 40th (about every 10 s), not four times a second.
            if (failuresInARow++ % 40 == 0) {
                log.warn("api_key_change_feed_failed failures_in_a_row={}", failuresInARow, e);
            }
        }
    }

    @Override
    public void stop() {
        ScheduledExecutorService running = executor;
        executor = null;
        if (running == null) return;
        // No interrupt: a poll in the middle of a statement finishes, rather than leaving a broken connection.
        running.shutdown();
        try {
            running.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public boolean isRunning() {
        return executor != null;
    }

    /** Before the web server starts taking requests (so the cache is trusted from the first one), after it stops. */
    @Override
    public int getPhase() {
        return 0;
    }
}
