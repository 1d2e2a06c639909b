package dev.gatehouse.subscription;

import dev.gatehouse.jobs.RecurringJob;
import dev.gatehouse.jobs.RecurringSchedule;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The end of periods, on one node at a time: scheduled downgrades take effect, canceled subscriptions and
 * unconverted trials expire, active ones start their next period. Rows are claimed with {@code SKIP LOCKED} in
 * batches, so a large backlog is worked through in short transactions.
 */
@Component
class SubscriptionRenewals implements RecurringJob {

    private static final Logger log = LoggerFactory.getLogger(SubscriptionRenewals.class);
    private static final int BATCH = 200;

    private final SubscriptionChanges changes;
    private final SubscriptionSettings settings;

    SubscriptionRenewals(SubscriptionChanges changes, SubscriptionSettings settings) {
        this.changes = changes;
        this.settings = settings;
    }

    @Override
    public String name() {
        return "subscription-renewals";
    }

    @Override
    public RecurringSchedule schedule() {
        return RecurringSchedule.fixedDelay(settings.renewalInterval());
    }

    @Override
    public void run() {
        int total = 0;
        int changed;
        do {
            changed = changes.renewEnded(BATCH);
            total += changed;
        } while (changed == BATCH);
        if (total > 0) log.info("subscriptions_renewed count={}", total);
    }
}
