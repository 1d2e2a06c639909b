package dev.gatehouse.organization;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.OptionalInt;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** Seats are unlimited by default, and a module's own {@link SeatPolicy} replaces the default. */
class SeatPolicyConfigurationTest {

    private final ApplicationContextRunner context =
            new ApplicationContextRunner().withUserConfiguration(SeatPolicyConfiguration.class);

    @Test
    void withoutAPolicySeatsAreUnlimited() {
        context.run(c -> assertThat(c.getBean(SeatPolicy.class).seatLimit(UUID.randomUUID()))
                .isEmpty());
    }

    @Test
    void aPolicyBeanReplacesTheDefault() {
        SeatPolicy five = orgId -> OptionalInt.of(5);
        context.withBean(SeatPolicy.class, () -> five).run(c -> {
            assertThat(c).hasSingleBean(SeatPolicy.class);
            assertThat(c.getBean(SeatPolicy.class).seatLimit(UUID.randomUUID())).hasValue(5);
        });
    }
}
