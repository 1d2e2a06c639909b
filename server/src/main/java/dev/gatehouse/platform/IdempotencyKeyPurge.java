package dev.gatehouse.platform;

import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.scheduling.annotation.SchedulingConfigurer;
import org.springframework.scheduling.config.FixedDelayTask;
import org.springframework.scheduling.config.ScheduledTaskRegistrar;
import org.springframework.stereotype.Component;

/**
 * Deletes expired idempotency keys every {@code gatehouse.idempotency.purge-interval}. Every node runs it;
 * that is safe because it is only a batched {@code DELETE} that skips rows another node holds. Lookups
 * ignore expired rows anyway, so the purge only keeps the table small.
 */
@Component
class IdempotencyKeyPurge implements SchedulingConfigurer {

    /** Rows per statement: short transactions, no long lock on the index. */
    static final int BATCH = 5_000;

    private static final Logger log = LoggerFactory.getLogger(IdempotencyKeyPurge.class);

    private final IdempotencyKeys keys;
    private final IdempotencySettings settings;
    private final Clock clock;

    IdempotencyKeyPurge(IdempotencyKeys keys, IdempotencySettings settings, Clock clock) {
        this.keys = keys;
        this.settings = settings;
        this.clock = clock;
    }

    @Override
    public void configureTasks(ScheduledTaskRegistrar registrar) {
        registrar.addFixedDelayTask(
                new FixedDelayTask(this::purge, settings.purgeInterval(), settings.purgeInterval()));
    }

    /** Deletes every key expired by now, in batches; returns how many. */
    int purge() {
        int total = 0;
        try {
            int deleted;
            do {
                deleted = keys.purgeExpired(clock.instant(), BATCH);
                total += deleted;
            } while (deleted == BATCH);
        } catch (DataAccessException e) {
            // The next run retries; an unreachable database is reported by the readiness probe.
            log.warn("idempotency_purge_failed deleted={}", total, e);
        }
        if (total > 0) {
            log.info("idempotency_keys_purged count={}", total);
        }
        return total;
    }
}
