package dev.gatehouse.credits;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

/** The share of a top-up's credits that a refund or a chargeback of part of its payment takes back. */
class BillingCreditsTest {

    @Test
    void theShareFollowsTheMoneyAndRoundsDownToMicroCredits() {
        assertThat(BillingCredits.share(3000, 500, 1500)).isEqualByComparingTo("1000");
        assertThat(BillingCredits.share(1000, 1, 3)).isEqualByComparingTo("333.333333");
        assertThat(BillingCredits.share(3000, 1500, 1500)).isEqualByComparingTo("3000");
        assertThat(BillingCredits.share(3000, 2000, 1500))
                .as("never more than was bought")
                .isEqualByComparingTo("3000");
    }

    @Test
    void aChargeThatBoughtNoCreditsTakesNone() {
        assertThat(BillingCredits.share(0, 500, 0)).isEqualByComparingTo(BigDecimal.ZERO);
        assertThat(BillingCredits.share(3000, 0, 1500)).isEqualByComparingTo(BigDecimal.ZERO);
    }
}
