package dev.gatehouse.apikey;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.dao.DataAccessException;
import org.springframework.stereotype.Component;

/**
 * Keys' last-used times without a write per request: each use only notes the time in memory (at most once a
 * second per key), and every {@code last-used-flush-interval} the node writes everything noted in one
 * statement. Nodes write independently; the statement only ever moves a time forward. A node that dies loses
 * at most one interval of last-used times, which is all they are worth; a graceful stop flushes first.
 */
@Component
class LastUsed implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(LastUsed.class);

    /** Keys per statement: one statement per flush in practice, bounded for a node that sees very many keys. */
    static final int BATCH = 10_000;

    private final ConcurrentHashMap<UUID, Instant> pending = new ConcurrentHashMap<>();
    private final ApiKeys keys;
    private final ApiKeySettings settings;
    private volatile @Nullable ScheduledExecutorService executor;

    LastUsed(ApiKeys keys, ApiKeySettings settings) {
        this.keys = keys;
        this.settings = settings;
    }

    /** Notes a use; a lock-free read when the key was already noted within the same second. */
    void touch(UUID keyId, Instant at) {
        Instant noted = pending.get(keyId);
        if (noted == null || at.getEpochSecond() > noted.getEpochSecond()) {
            pending.put(keyId, at);
        }
    }

    /** Writes what was noted; returns how many keys were written. Failures keep the times for the next flush. */
    synchronized int flush() {
        List<Map.Entry<UUID, Instant>> batch = new ArrayList<>();
        int written = 0;
        for (Map.Entry<UUID, Instant> e : pending.entrySet()) {
            batch.add(Map.entry(e.getKey(), e.getValue()));
            if (batch.size() == BATCH) {
                written += write(batch);
                batch.clear();
            }
        }
        if (!batch.isEmpty()) written += write(batch);
        return written;
    }

    private int write(List<Map.Entry<UUID, Instant>> batch) {
        UUID[] ids = new UUID[batch.size()];
        Instant[] ats = new Instant[batch.size()];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = batch.get(i).getKey();
            ats[i] = batch.get(i).getValue();
        }
        keys.touchLastUsed(ids, ats);
        // Only what was written is forgotten: a use noted meanwhile has a newer time and stays for the next flush.
        for (int i = 0; i < ids.length; i++) pending.remove(ids[i], ats[i]);
        return ids.length;
    }

    private void flushQuietly() {
        try {
            flush();
        } catch (DataAccessException e) {
            log.warn("api_key_last_used_flush_failed pending={}", pending.size(), e);
        }
    }

    @Override
    public void start() {
        long interval = settings.lastUsedFlushInterval().toNanos();
        ScheduledExecutorService started = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().daemon().name("api-key-last-used").factory());
        started.scheduleWithFixedDelay(this::flushQuietly, interval, interval, TimeUnit.NANOSECONDS);
        executor = started;
    }

    /** Stops after the web server (a lower phase stops later), then writes what is left. */
    @Override
    public void stop() {
        ScheduledExecutorService running = executor;
        executor = null;
        if (running == null) return;
        running.shutdown();
        try {
            running.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        flushQuietly();
    }

    @Override
    public boolean isRunning() {
        return executor != null;
    }

    @Override
    public int getPhase() {
        return 0;
    }
}
