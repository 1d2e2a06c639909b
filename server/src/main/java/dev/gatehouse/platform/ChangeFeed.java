package dev.gatehouse.platform;

import static dev.gatehouse.platform.Timestamps.instant;
import static dev.gatehouse.platform.Timestamps.utc;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.IllegalTransactionStateException;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Tells every node's caches that something changed on any node, within about one poll interval (250 ms by
 * default): a module {@linkplain #publish publishes} a (topic, subject) in the transaction that makes the
 * change, and each node's poller hands every new row to that topic's {@linkplain #subscribe subscribers}.
 *
 * <p><b>Why polling PostgreSQL, not LISTEN/NOTIFY or Redis.</b> Gatehouse runs on N nodes sharing one
 * PostgreSQL, and Redis may be absent. NOTIFY needs a dedicated connection per node outside the pool (it does not
 * survive PgBouncer in transaction mode) and loses what is sent while that connection is down, so a polling
 * safety net would be needed anyway. The poll alone is one indexed statement that returns nothing most of the
 * time and cannot miss a change. (The API-key cache has had its own feed on {@code api_keys.changed_at} since
 * before this one; this is the same mechanism for modules whose changes have no such column.)
 *
 * <p><b>Why it cannot miss one.</b> A row's {@code changed_at} is the publishing transaction's start on the
 * database's clock, and it becomes visible only at commit, possibly after a read that covered its time. Each
 * read therefore reaches {@code lookback} (30 s) before the previous read's time and skips the row ids it has
 * already delivered. A change is missed only if its transaction takes longer than the lookback to commit. After
 * a failed read the next one starts from the last successful read, so an outage loses nothing either; while
 * reads fail, {@link #fresh()} is false so that caches can stop trusting themselves.
 */
@Component
public class ChangeFeed implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(ChangeFeed.class);

    private final JdbcClient db;
    private final ChangeFeedSettings settings;
    private final Map<String, List<Consumer<String>>> subscribers = new ConcurrentHashMap<>();
    /** Rows already delivered, with their changed_at so they can be forgotten; only the poll thread touches it. */
    private final Map<Long, Instant> delivered = new HashMap<>();

    private volatile @Nullable ScheduledExecutorService executor;
    private volatile long readAtNanos;
    private volatile boolean everRead;
    private @Nullable Instant watermark;
    private @Nullable Instant lastPurge;
    private int failuresInARow;

    ChangeFeed(JdbcClient db, ChangeFeedSettings settings) {
        this.db = db;
        this.settings = settings;
    }

    /**
     * Records, inside the caller's transaction, that {@code subject} of {@code topic} changed. Every node's
     * subscribers (this node's included) see it within about one poll interval after the commit; a rollback
     * publishes nothing.
     */
    public void publish(String topic, String subject) {
        // Checked here rather than by @Transactional(MANDATORY): that annotation would put every call of this
        // bean, fresh() included, which the caches ask on every lookup, behind a proxy.
        if (!TransactionSynchronizationManager.isActualTransactionActive()) {
            throw new IllegalTransactionStateException(
                    "ChangeFeed.publish runs inside the transaction that made the change");
        }
        db.sql("insert into change_feed (topic, subject) values (:topic, :subject)")
                .param("topic", topic)
                .param("subject", subject)
                .update();
    }

    /**
     * Registers a callback for every change of {@code topic} published on any node; call it once at startup.
     * It runs on the feed's thread, so it must be quick, and idempotent: a change may be delivered more than
     * once (after a restart), but none is lost while the feed is {@linkplain #fresh() fresh}.
     */
    public void subscribe(String topic, Consumer<String> onChange) {
        subscribers.computeIfAbsent(topic, t -> new CopyOnWriteArrayList<>()).add(onChange);
    }

    /** False until the first read and whenever no read has succeeded within {@code stale-after}. */
    public boolean fresh() {
        return everRead
                && System.nanoTime() - readAtNanos < settings.staleAfter().toNanos();
    }

    private record Row(long id, String topic, String subject, Instant changedAt) {}

    /** Reads the feed once and delivers what is new; returns how many changes were delivered. */
    synchronized int poll() {
        Instant last = watermark;
        if (last == null) throw new IllegalStateException("the change feed has not started");
        Instant[] polledAt = new Instant[1];
        List<Row> rows = new ArrayList<>();
        // One round trip: the left join yields the tick row even when nothing changed, and now() (this
        // statement's transaction start) is no later than its snapshot, so no change falls between the two.
        db.sql("""
                select now() as polled_at, c.id, c.topic, c.subject, c.changed_at
                from (values (1)) as tick (one)
                left join change_feed c on c.changed_at > :since
                order by c.id
                """).param("since", utc(last.minus(settings.lookback()))).query(rs -> {
            polledAt[0] = instant(rs, "polled_at");
            long id = rs.getLong("id");
            if (!rs.wasNull()) {
                rows.add(new Row(id, rs.getString("topic"), rs.getString("subject"), instant(rs, "changed_at")));
            }
        });
        if (polledAt[0] == null) throw new IllegalStateException("the change feed query returned no row");
        int count = 0;
        for (Row row : rows) {
            if (delivered.putIfAbsent(row.id(), row.changedAt()) != null) continue;
            count++;
            for (Consumer<String> subscriber : subscribers.getOrDefault(row.topic(), List.of())) {
                try {
                    subscriber.accept(row.subject());
                } catch (RuntimeException e) {
                    // One broken subscriber must not starve the others or stall the feed.
                    log.warn("change_feed_subscriber_failed topic={} subject={}", row.topic(), row.subject(), e);
                }
            }
        }
        // The next read starts at polledAt - lookback; older rows will not come back, so forget them.
        Instant nextSince = polledAt[0].minus(settings.lookback());
        delivered.values().removeIf(at -> !at.isAfter(nextSince));
        watermark = polledAt[0];
        readAtNanos = System.nanoTime();
        everRead = true;
        purgeNowAndThen(polledAt[0]);
        return count;
    }

    /** Every node deletes old rows about once a minute; concurrent deletes of the same rows are harmless. */
    private void purgeNowAndThen(Instant now) {
        if (lastPurge != null && lastPurge.plusSeconds(60).isAfter(now)) return;
        lastPurge = now;
        int deleted = db.sql("delete from change_feed where changed_at < :before")
                .param("before", utc(now.minus(settings.retention())))
                .update();
        if (deleted > 0) log.debug("change_feed_purged rows={}", deleted);
    }

    private void pollQuietly() {
        try {
            poll();
            if (failuresInARow > 0) {
                log.info("change_feed_recovered after_failures={}", failuresInARow);
                failuresInARow = 0;
            }
        } catch (RuntimeException e) {
            // Logged on the first failure and then every 40th (about every 10 s), not four times a second.
            if (failuresInARow++ % 40 == 0) {
                log.warn("change_feed_failed failures_in_a_row={}", failuresInARow, e);
            }
        }
    }

    @Override
    public void start() {
        if (watermark == null) {
            // Nothing is cached before the first start, so the feed can begin at the database's present.
            watermark = db.sql("select now()").query((rs, n) -> instant(rs, 1)).single();
            readAtNanos = System.nanoTime();
            everRead = true;
        } else {
            // A restart: catch up from the last successful read, so nothing published while stopped is missed.
            poll();
        }
        long interval = settings.pollInterval().toNanos();
        ScheduledExecutorService started = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().daemon().name("change-feed").factory());
        started.scheduleWithFixedDelay(this::pollQuietly, interval, interval, TimeUnit.NANOSECONDS);
        executor = started;
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

    /** Before the web server takes requests (caches are trusted from the first one), after it stops. */
    @Override
    public int getPhase() {
        return 0;
    }
}
