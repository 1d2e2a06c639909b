package dev.gatehouse.credits;

import static dev.gatehouse.platform.Timestamps.utc;

import dev.gatehouse.platform.RequestIds;
import dev.gatehouse.subscription.CurrentPlan;
import dev.gatehouse.subscription.SubscriptionDirectory;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * Low-balance ("throttle") warnings: thresholds per plan, in PT. Checked in the transaction that lowered the
 * balance, under the organization's lock, so exactly the change that crossed a threshold sees it; the
 * {@code credit_warnings} key makes it fire once per organization, subscription period and threshold on every
 * node. It is published as {@link CreditBalanceLow}; the email follows from it ({@link LowBalanceMail}).
 */
@Component
class LowBalance {

    private final JdbcClient db;
    private final ApplicationEventPublisher events;
    private final SubscriptionDirectory subscriptions;
    private final CreditSettings settings;

    LowBalance(
            JdbcClient db,
            ApplicationEventPublisher events,
            SubscriptionDirectory subscriptions,
            CreditSettings settings) {
        this.db = db;
        this.events = events;
        this.subscriptions = subscriptions;
        this.settings = settings;
    }

    /** The plan's thresholds in micro-PT, highest first. */
    List<Long> thresholds(UUID org) {
        return settings.rules(subscriptions.planOf(org).key()).warnings().stream()
                .map(Micros::ofWhole)
                .sorted((a, b) -> Long.compare(b, a))
                .toList();
    }

    /** The highest threshold the balance is below, or null: what the warning header names. */
    @Nullable
    Long below(UUID org, long available) {
        Long lowest = null;
        for (long t : thresholds(org)) {
            if (available < t) lowest = t;
        }
        return lowest;
    }

    /** Fires the warnings the change from {@code before} to {@code after} crossed; must run in its transaction. */
    @Transactional(propagation = Propagation.MANDATORY)
    void check(UUID org, long before, long after, Instant now) {
        if (after >= before) return;
        List<Long> crossed =
                thresholds(org).stream().filter(t -> before >= t && after < t).toList();
        if (crossed.isEmpty()) return;
        Instant periodStart = subscriptions
                .currentPlan(org)
                .map(CurrentPlan::periodStart)
                .orElseGet(() -> YearMonth.from(now.atZone(ZoneOffset.UTC))
                        .atDay(1)
                        .atStartOfDay(ZoneOffset.UTC)
                        .toInstant());
        for (long t : crossed) {
            boolean first = db.sql("""
                                    insert into credit_warnings (org_id, period_start, threshold, balance, fired_at)
                                    values (:org, :start, :threshold, :balance, :now)
                                    on conflict do nothing
                                    """)
                            .param("org", org)
                            .param("start", utc(periodStart))
                            .param("threshold", t)
                            .param("balance", after)
                            .param("now", utc(now))
                            .update()
                    == 1;
            if (first) {
                events.publishEvent(new CreditBalanceLow(
                        org, Micros.pt(t), Micros.pt(after), periodStart, RequestIds.current(), now));
            }
        }
    }
}
