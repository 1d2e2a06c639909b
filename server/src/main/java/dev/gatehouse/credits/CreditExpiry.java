package dev.gatehouse.credits;

import dev.gatehouse.jobs.RecurringJob;
import dev.gatehouse.jobs.RecurringSchedule;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Every minute: releases held reservations past their TTL (as {@code expired}), then moves what is left of blocks
 * past their expiry to {@code expired} (after the plan's rollover). Each organization's work is a transaction under
 * its lock, so it can race settles and releases of the same reservations without either applying twice.
 */
@Component
class CreditExpiry implements RecurringJob {

    private static final Logger log = LoggerFactory.getLogger(CreditExpiry.class);
    private static final int BATCH = 500;

    private final Holds holds;
    private final Grants grants;
    private final Ledger ledger;
    private final CreditSettings settings;
    private final TransactionTemplate tx;
    private final Clock clock;

    CreditExpiry(
            Holds holds, Grants grants, Ledger ledger, CreditSettings settings, TransactionTemplate tx, Clock clock) {
        this.holds = holds;
        this.grants = grants;
        this.ledger = ledger;
        this.settings = settings;
        this.tx = tx;
        this.clock = clock;
    }

    @Override
    public String name() {
        return "credit-expiry";
    }

    @Override
    public RecurringSchedule schedule() {
        return RecurringSchedule.fixedDelay(Duration.ofMinutes(1));
    }

    @Override
    public void run() {
        Instant now = clock.instant();
        int holdsExpired = 0;
        for (int found = BATCH; found == BATCH; ) {
            var due = holds.due(now, BATCH);
            found = due.size();
            for (UUID id : due) {
                if (expireHold(id, now)) holdsExpired++;
            }
        }
        int blocks = 0;
        for (int found = BATCH; found == BATCH; ) {
            var orgs = grants.dueOrganizations(now, BATCH);
            found = orgs.size();
            for (UUID org : orgs) {
                blocks += grants.expire(
                        org, plan -> Micros.ofWhole(settings.rules(plan).rollover()), now);
            }
        }
        if (holdsExpired > 0 || blocks > 0) {
            log.info("credits_expired holds={} blocks={}", holdsExpired, blocks);
        }
    }

    /** Releases the hold if it is still held; false when a settle or release came first. */
    boolean expireHold(UUID id, Instant now) {
        Holds.Reservation found = holds.find(id);
        if (found == null) return false;
        Boolean done = tx.execute(s -> {
            ledger.open(List.of(found.org()), List.of(id));
            Holds.Reservation r = holds.find(id);
            if (r == null || !r.state().equals("held") || r.expiresAt().isAfter(now)) return false;
            holds.release(r, /* expired= */ true, Holds.Context.none(), now);
            return true;
        });
        return Boolean.TRUE.equals(done);
    }
}
