package dev.gatehouse.subscription;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatehouse.support.CheckConstraints;
import java.time.Instant;
import java.util.Arrays;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The subscription states are written once in Java ({@link SubscriptionState}) and guarded twice: by the
 * aggregate, and by the database's check constraint and transition trigger. This walks every pair of states
 * through both and requires the same verdict, so neither guard can allow a move the other refuses.
 */
class SubscriptionStatesTest extends SubscriptionEndToEndTest {

    @Autowired
    TransactionTemplate tx;

    @Test
    void theStateColumnAcceptsExactlyTheEnumsValues() {
        assertThat(CheckConstraints.literals(db, "subscriptions", "subscriptions_state_check"))
                .isEqualTo(Arrays.stream(SubscriptionState.values())
                        .map(SubscriptionState::wire)
                        .collect(Collectors.toSet()));
    }

    @Test
    void theDatabaseAndTheAggregateAllowTheSameMovesAndNoOthers() {
        int allowed = 0;
        for (SubscriptionState from : SubscriptionState.values()) {
            for (SubscriptionState to : SubscriptionState.values()) {
                if (from == to) continue;
                boolean database = databaseAllows(from, to);
                assertThat(database)
                        .as("%s -> %s in the database", from.wire(), to.wire())
                        .isEqualTo(from.canMoveTo(to));
                Subscription s = new Subscription(
                        UUID.randomUUID(),
                        "free",
                        from,
                        Instant.EPOCH,
                        Instant.EPOCH.plusSeconds(60),
                        null,
                        Instant.EPOCH,
                        Instant.EPOCH,
                        Instant.EPOCH);
                if (from.canMoveTo(to)) {
                    assertThat(s.moveTo(to, Instant.EPOCH).state()).isEqualTo(to);
                    allowed++;
                } else {
                    assertThatThrownBy(() -> s.moveTo(to, Instant.EPOCH))
                            .isInstanceOf(IllegalStateException.class)
                            .hasMessageContaining("cannot become " + to.wire());
                }
            }
        }
        assertThat(allowed).as("moves in the table").isEqualTo(19);
    }

    /** Tries the move on a scratch row in a transaction that is always rolled back. */
    private boolean databaseAllows(SubscriptionState from, SubscriptionState to) {
        Boolean allowed = tx.execute(status -> {
            status.setRollbackOnly();
            UUID org = UUID.randomUUID();
            db.sql("""
                    insert into subscriptions (org_id, plan, state, current_period_start, current_period_end,
                        canceled_at, created_at, updated_at)
                    values (:org, 'free', :state, now(), now() + interval '1 month', now(), now(), now())
                    """).param("org", org).param("state", from.wire()).update();
            Object savepoint = status.createSavepoint();
            try {
                db.sql("update subscriptions set state = :state where org_id = :org")
                        .param("org", org)
                        .param("state", to.wire())
                        .update();
                return true;
            } catch (DataIntegrityViolationException refused) {
                status.rollbackToSavepoint(savepoint);
                return false;
            }
        });
        return Boolean.TRUE.equals(allowed);
    }

    @Test
    void theEndOfAPeriodAppliesTheScheduledPlanExpiresWhatWasCanceledAndSkipsMissedPeriods() {
        Instant start = Instant.parse("2026-01-15T10:00:00Z");
        Subscription s = Subscription.start(UUID.randomUUID(), "pro", Subscription.Term.MONTH, start);
        assertThat(s.periodEnd()).isEqualTo(Instant.parse("2026-02-15T10:00:00Z"));
        Instant now = Instant.parse("2026-04-20T00:00:00Z");
        Subscription renewed = s.schedule("free", start).renew(Subscription.Term.MONTH, now);
        assertThat(renewed.plan()).isEqualTo("free");
        assertThat(renewed.scheduledPlan()).isNull();
        assertThat(renewed.periodStart()).isEqualTo(Instant.parse("2026-04-15T10:00:00Z"));
        assertThat(renewed.periodEnd()).isEqualTo(Instant.parse("2026-05-15T10:00:00Z"));
        assertThat(s.renew(Subscription.Term.MONTH, start.plusSeconds(5)))
                .as("nothing before the end")
                .isSameAs(s);

        Subscription canceled = s.moveTo(SubscriptionState.CANCELED, start);
        assertThat(canceled.canceledAt()).isEqualTo(start);
        assertThat(canceled.renew(Subscription.Term.MONTH, now).state()).isEqualTo(SubscriptionState.EXPIRED);
        Subscription pastDue = s.moveTo(SubscriptionState.PAST_DUE, start);
        assertThat(pastDue.renew(Subscription.Term.MONTH, now))
                .as("dunning is billing's")
                .isSameAs(pastDue);

        Subscription expired = canceled.renew(Subscription.Term.MONTH, now);
        assertThat(expired.state().entitles()).isFalse();
        Subscription again = expired.changePlan("free", Subscription.Term.MONTH, now);
        assertThat(again.state()).isEqualTo(SubscriptionState.ACTIVE);
        assertThat(again.periodStart()).isEqualTo(now);
        Subscription upgraded = s.changePlan("enterprise", Subscription.Term.MONTH, now);
        assertThat(upgraded.periodStart())
                .as("a running subscription keeps its period")
                .isEqualTo(start);
    }
}
