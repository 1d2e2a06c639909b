package dev.gatehouse.subscription;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** {@link Subscription#billed}: the payment provider's plan, state and period, never a move the table lacks. */
class BilledSubscriptionTest {

    private static final Instant NOW = Instant.parse("2026-12-05T10:00:00Z");
    private static final Instant END = Instant.parse("2027-01-05T10:00:00Z");

    private static Subscription in(SubscriptionState state) {
        Subscription s = Subscription.start(UUID.randomUUID(), "free", Subscription.Term.MONTH, NOW);
        return new Subscription(
                s.orgId(), "pro", state, s.periodStart(), s.periodEnd(), "free", null, s.createdAt(), s.updatedAt());
    }

    @Test
    void anActiveSubscriptionTakesThePaidPlanAndStripesPeriodAndDropsAScheduledChange() {
        Subscription billed =
                in(SubscriptionState.ACTIVE).billed("enterprise", SubscriptionState.ACTIVE, NOW, END, NOW);
        assertThat(billed.plan()).isEqualTo("enterprise");
        assertThat(billed.state()).isEqualTo(SubscriptionState.ACTIVE);
        assertThat(billed.periodStart()).isEqualTo(NOW);
        assertThat(billed.periodEnd()).isEqualTo(END);
        assertThat(billed.scheduledPlan()).isNull();
    }

    @Test
    void aLatePastDueNeverUndoesGraceOrSuspension() {
        for (SubscriptionState dunning :
                new SubscriptionState[] {SubscriptionState.GRACE, SubscriptionState.SUSPENDED}) {
            Subscription billed = in(dunning).billed("pro", SubscriptionState.PAST_DUE, NOW, END, NOW);
            assertThat(billed.state()).as(dunning.wire()).isEqualTo(dunning);
        }
    }

    @Test
    void paymentRecoversEveryDunningStepAndCancelingRecordsWhen() {
        for (SubscriptionState dunning : new SubscriptionState[] {
            SubscriptionState.PAST_DUE, SubscriptionState.GRACE, SubscriptionState.SUSPENDED
        }) {
            assertThat(in(dunning)
                            .billed("pro", SubscriptionState.ACTIVE, NOW, END, NOW)
                            .state())
                    .as(dunning.wire())
                    .isEqualTo(SubscriptionState.ACTIVE);
        }
        Subscription canceled = in(SubscriptionState.ACTIVE).billed("pro", SubscriptionState.CANCELED, NOW, END, NOW);
        assertThat(canceled.state()).isEqualTo(SubscriptionState.CANCELED);
        assertThat(canceled.canceledAt()).isEqualTo(NOW);
        // A suspended subscription cannot become a trial: the state stays, the period still applies.
        Subscription notTrial =
                in(SubscriptionState.SUSPENDED).billed("pro", SubscriptionState.TRIALING, NOW, END, NOW);
        assertThat(notTrial.state()).isEqualTo(SubscriptionState.SUSPENDED);
        assertThat(notTrial.periodEnd()).isEqualTo(END);
    }
}
