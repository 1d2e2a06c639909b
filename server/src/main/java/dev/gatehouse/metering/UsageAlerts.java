package dev.gatehouse.metering;

import static dev.gatehouse.platform.Timestamps.utc;

import dev.gatehouse.catalog.Limit;
import dev.gatehouse.platform.RequestIds;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * Usage alerts at 80 % and 100 % of a limit, each once per organization, meter and period. Checked in the
 * transaction that changed the usage, right after its write: a crossing is seen by exactly the write that made
 * it (the writes to one counter row are serialized by its lock), and the {@code usage_alerts} key makes a
 * second firing impossible on any node. The alert is published as {@link UsageThresholdReached} in that
 * transaction; the emails follow from it ({@link UsageAlertMail}).
 */
@Component
class UsageAlerts {

    static final int[] THRESHOLDS = {80, 100};

    private final JdbcClient db;
    private final ApplicationEventPublisher events;

    UsageAlerts(JdbcClient db, ApplicationEventPublisher events) {
        this.db = db;
        this.events = events;
    }

    /**
     * One write's effect on a limited meter.
     *
     * @param before the usage before the write; null for gauges (max, latest), whose alerts fire whenever the
     *     usage is at or above a threshold and the period has not had that alert yet
     * @param periodStart the start of the limit's period ({@link Periods#start})
     */
    record Reading(
            UUID org,
            Limit limit,
            Instant periodStart,
            @Nullable BigDecimal before,
            BigDecimal after) {}

    /** Fires the alerts the readings crossed; must run in the writing transaction. */
    @Transactional(propagation = Propagation.MANDATORY)
    void check(List<Reading> readings, Instant now) {
        for (Reading r : readings) {
            BigDecimal limit = Periods.max(r.limit());
            // Unlimited, or nothing allowed (every use refused): there is no "80 %" of it.
            if (limit == null || limit.signum() <= 0) continue;
            for (int percent : THRESHOLDS) {
                BigDecimal boundary =
                        limit.multiply(BigDecimal.valueOf(percent)).movePointLeft(2);
                boolean reached = r.after().compareTo(boundary) >= 0;
                boolean crossedNow = r.before() == null || r.before().compareTo(boundary) < 0;
                if (reached && crossedNow && record(r, limit, percent, now)) {
                    events.publishEvent(new UsageThresholdReached(
                            r.org(),
                            r.limit().name(),
                            percent,
                            r.after(),
                            limit,
                            r.limit().period(),
                            r.periodStart(),
                            Periods.resetsAt(r.limit().period(), r.periodStart()),
                            RequestIds.current(),
                            now));
                }
            }
        }
    }

    /** Claims the alert for its period; false when it fired before. */
    private boolean record(Reading r, BigDecimal limit, int percent, Instant now) {
        return db.sql("""
                        insert into usage_alerts (org_id, meter, period, period_start, threshold, used, quota_limit, fired_at)
                        values (:org, :meter, :period, :start, :threshold, :used, :limit, :now)
                        on conflict do nothing
                        """)
                        .param("org", r.org())
                        .param("meter", r.limit().name())
                        .param("period", r.limit().period().wire())
                        .param("start", utc(r.periodStart()))
                        .param("threshold", percent)
                        .param("used", r.after())
                        .param("limit", limit)
                        .param("now", utc(now))
                        .update()
                == 1;
    }

    /** Marks the alert's emails as queued; false when they were already (a redelivered event). */
    boolean markEmailed(UsageThresholdReached alert, Instant now) {
        return db.sql("""
                        update usage_alerts set emailed_at = :now
                        where org_id = :org and meter = :meter and period = :period and period_start = :start
                          and threshold = :threshold and emailed_at is null
                        """)
                        .param("now", utc(now))
                        .param("org", alert.orgId())
                        .param("meter", alert.meter())
                        .param("period", alert.period().wire())
                        .param("start", utc(alert.periodStart()))
                        .param("threshold", alert.thresholdPercent())
                        .update()
                == 1;
    }
}
