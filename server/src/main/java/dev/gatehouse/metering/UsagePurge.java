package dev.gatehouse.metering;

import dev.gatehouse.jobs.RecurringJob;
import dev.gatehouse.jobs.RecurringSchedule;
import java.time.Clock;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Hourly, in batches: deletes usage events received longer ago than {@code gatehouse.metering.retention} (their
 * totals stay), and quota consumptions' stored answers older than {@code idempotency-retention}. A purged
 * event's id is forgotten, which is safe: the retention is longer than the grace period, so the same event
 * sent again would be rejected as too late.
 */
@Component
class UsagePurge implements RecurringJob {

    private static final Logger log = LoggerFactory.getLogger(UsagePurge.class);
    private static final int BATCH = 10_000;

    private final UsageEvents events;
    private final QuotaConsumptions consumptions;
    private final MeteringSettings settings;
    private final Clock clock;

    UsagePurge(UsageEvents events, QuotaConsumptions consumptions, MeteringSettings settings, Clock clock) {
        this.events = events;
        this.consumptions = consumptions;
        this.settings = settings;
        this.clock = clock;
    }

    @Override
    public String name() {
        return "usage-purge";
    }

    @Override
    public RecurringSchedule schedule() {
        return RecurringSchedule.cron("0 23 * * * *");
    }

    @Override
    public void run() {
        Instant now = clock.instant();
        Instant eventsBefore = now.minus(settings.retention());
        int purgedEvents = 0;
        for (int deleted = BATCH; deleted == BATCH; purgedEvents += deleted) {
            deleted = events.purge(eventsBefore, BATCH);
        }
        Instant keysBefore = now.minus(settings.idempotencyRetention());
        int purgedKeys = 0;
        for (int deleted = BATCH; deleted == BATCH; purgedKeys += deleted) {
            deleted = consumptions.purge(keysBefore, BATCH);
        }
        log.info("usage_purged events={} consumptions={} events_before={}", purgedEvents, purgedKeys, eventsBefore);
    }
}
