package dev.gatehouse.billing;

import dev.gatehouse.jobs.RecurringJob;
import dev.gatehouse.jobs.RecurringSchedule;
import dev.gatehouse.subscription.BillingSubscriptions;
import dev.gatehouse.subscription.SubscriptionState;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The dunning timeline's clock, on one node at a time: an organization past due for
 * {@code gatehouse.billing.dunning.past-due} enters its grace period, and one in grace for
 * {@code gatehouse.billing.dunning.grace} is suspended (the default plan's entitlements, 402 on the paid features,
 * its API keys verify as {@code suspended}); each step with its email, in one transaction. A payment ends dunning
 * at any step (the webhook's {@code invoice.paid}).
 */
@Component
class Dunning implements RecurringJob {

    private static final Logger log = LoggerFactory.getLogger(Dunning.class);
    private static final int BATCH = 100;

    private final BillingAccounts accounts;
    private final BillingSubscriptions subscriptions;
    private final DunningMail mail;
    private final BillingSettings settings;
    private final TransactionTemplate tx;
    private final Clock clock;

    Dunning(
            BillingAccounts accounts,
            BillingSubscriptions subscriptions,
            DunningMail mail,
            BillingSettings settings,
            TransactionTemplate tx,
            Clock clock) {
        this.accounts = accounts;
        this.subscriptions = subscriptions;
        this.mail = mail;
        this.settings = settings;
        this.tx = tx;
        this.clock = clock;
    }

    @Override
    public String name() {
        return "billing-dunning";
    }

    @Override
    public RecurringSchedule schedule() {
        return RecurringSchedule.fixedDelay(settings.dunning().interval());
    }

    @Override
    public void run() {
        int moved = 0;
        int n;
        do {
            n = step(BillingAccounts.DunningStage.PAST_DUE, settings.dunning().pastDue());
            moved += n;
        } while (n == BATCH);
        do {
            n = step(BillingAccounts.DunningStage.GRACE, settings.dunning().grace());
            moved += n;
        } while (n == BATCH);
        if (moved > 0) log.info("billing_dunning_steps count={}", moved);
    }

    /** Moves the organizations whose {@code stage} lasted {@code length} to the next step; how many were claimed. */
    int step(BillingAccounts.DunningStage stage, Duration length) {
        return Objects.requireNonNull(tx.execute(s -> {
            Instant now = clock.instant();
            List<BillingAccounts.Account> due = accounts.lockDue(stage, now.minus(length), BATCH);
            for (BillingAccounts.Account a : due) {
                boolean grace = stage == BillingAccounts.DunningStage.PAST_DUE;
                SubscriptionState next = grace ? SubscriptionState.GRACE : SubscriptionState.SUSPENDED;
                if (subscriptions.moveTo(a.orgId(), next)) {
                    accounts.setDunning(
                            a.orgId(),
                            grace ? BillingAccounts.DunningStage.GRACE : BillingAccounts.DunningStage.SUSPENDED,
                            now);
                    mail.send(
                            a.orgId(),
                            grace ? DunningMail.Step.GRACE : DunningMail.Step.SUSPENDED,
                            grace ? now.plus(settings.dunning().grace()) : now);
                } else {
                    // The subscription left dunning another way (canceled, paid, the organization deleted).
                    accounts.setDunning(a.orgId(), null, now);
                }
            }
            return due.size();
        }));
    }
}
