package dev.gatehouse.flags;

import dev.gatehouse.client.flags.Flag;
import dev.gatehouse.client.flags.FlagEngine;
import dev.gatehouse.client.flags.Segment;
import dev.gatehouse.client.flags.Snapshot;
import dev.gatehouse.client.flags.SnapshotJson;
import dev.gatehouse.platform.ChangeFeed;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * This node's compiled copy of every flag, segment and kill switch, so that evaluation never queries PostgreSQL.
 *
 * <p><b>Freshness.</b> Every change publishes topic {@value #TOPIC} on platform's {@link ChangeFeed} in its
 * transaction; each node's subscription only bumps a wanted generation, and the next read reloads the whole
 * state (a few hundred rows at most) when its copy is older. A change therefore reaches every node within one
 * poll of the feed (250 ms by default), and the node that made it at once (after its commit). A load that
 * started before a change cannot hide it: the generation it installs is the one wanted when it started, so the
 * next read loads again. While the feed is not {@linkplain ChangeFeed#fresh() fresh} the copy is not trusted and
 * every read loads from the database, so a node cut off from the feed still never serves a kill switch late.
 */
@Component
class FlagCache {

    static final String TOPIC = "flags";

    /** The kill switch that turns every flag off. */
    static final String GLOBAL = "global";

    /** One load: the engine and the snapshot document with its tag. */
    record Loaded(long generation, FlagEngine engine, String etag, byte[] document) {}

    private final FlagRows rows;
    private final ChangeFeed feed;
    private final Clock clock;
    private final AtomicLong wanted = new AtomicLong(1);
    private volatile Loaded current;

    FlagCache(FlagRows rows, ChangeFeed feed, Clock clock) {
        this.rows = rows;
        this.feed = feed;
        this.clock = clock;
        this.current = new Loaded(0, FlagEngine.of(Snapshot.EMPTY, clock), "", new byte[0]);
        feed.subscribe(TOPIC, subject -> invalidate());
    }

    void invalidate() {
        wanted.incrementAndGet();
    }

    /** Within a transaction: publishes the change to every node and reloads this one's copy after the commit. */
    void changed(String subject) {
        feed.publish(TOPIC, subject);
        TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
            @Override
            public void afterCommit() {
                invalidate();
            }
        });
    }

    Loaded current() {
        Loaded c = current;
        if (!feed.fresh()) return load(wanted.get());
        if (c.generation() >= wanted.get()) return c;
        synchronized (this) {
            c = current;
            long target = wanted.get();
            if (c.generation() >= target) return c;
            Loaded loaded = load(target);
            current = loaded;
            return loaded;
        }
    }

    private Loaded load(long generation) {
        List<Flag> flags = rows.flags().stream().map(FlagRows.StoredFlag::flag).toList();
        List<Segment> segments =
                rows.segments().stream().map(FlagRows.StoredSegment::segment).toList();
        Set<String> killed = new HashSet<>();
        boolean global = false;
        for (FlagRows.KillSwitch k : rows.killSwitches()) {
            if (!k.active()) continue;
            if (k.name().equals(GLOBAL)) global = true;
            else killed.add(k.name());
        }
        Snapshot untagged = new Snapshot(null, flags, segments, killed, global);
        String etag = tag(SnapshotJson.write(untagged));
        Snapshot snapshot = new Snapshot(etag, flags, segments, killed, global);
        byte[] document = SnapshotJson.write(snapshot).getBytes(StandardCharsets.UTF_8);
        return new Loaded(generation, FlagEngine.of(snapshot, clock), etag, document);
    }

    /** A strong tag of the content: the first 128 bits of its SHA-256, base64url. */
    private static String tag(String content) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(content.getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(java.util.Arrays.copyOf(digest, 16));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
