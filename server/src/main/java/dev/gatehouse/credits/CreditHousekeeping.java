package dev.gatehouse.credits;

import dev.gatehouse.jobs.RecurringJob;
import dev.gatehouse.jobs.RecurringSchedule;
import java.time.Clock;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Daily: the drift check (cached balances against their entries, logged as an error when anything differs) and
 * the purge of credit calls' stored answers older than {@code gatehouse.credits.idempotency-retention}.
 */
@Component
class CreditHousekeeping implements RecurringJob {

    private static final Logger log = LoggerFactory.getLogger(CreditHousekeeping.class);
    private static final int BATCH = 10_000;

    private final Drift drift;
    private final CreditRequests requests;
    private final CreditSettings settings;
    private final Clock clock;

    CreditHousekeeping(Drift drift, CreditRequests requests, CreditSettings settings, Clock clock) {
        this.drift = drift;
        this.requests = requests;
        this.settings = settings;
        this.clock = clock;
    }

    @Override
    public String name() {
        return "credit-housekeeping";
    }

    @Override
    public RecurringSchedule schedule() {
        return RecurringSchedule.cron("0 17 3 * * *");
    }

    @Override
    public void run() {
        Instant now = clock.instant();
        Drift.Report report = drift.check(now);
        if (report.drifts().isEmpty()) {
            log.info("credit_drift_check accounts={} blocks={} drifts=0", report.accounts(), report.blocks());
        } else {
            log.error(
                    "credit_drift_check accounts={} blocks={} drifts={} first={}",
                    report.accounts(),
                    report.blocks(),
                    report.drifts().size(),
                    report.drifts().getFirst());
        }
        Instant before = now.minus(settings.idempotencyRetention());
        int purged = 0;
        for (int deleted = BATCH; deleted == BATCH; purged += deleted) {
            deleted = requests.purge(before, BATCH);
        }
        log.info("credit_requests_purged count={} before={}", purged, before);
    }
}
