package dev.gatehouse.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {

    private final RetryPolicy policy = new RetryPolicy(8, Duration.ofSeconds(10), Duration.ofMinutes(5));

    @Test
    void delayDoublesAfterEachFailureUpToTheCap() {
        assertThat(policy.delayAfter(1)).isEqualTo(Duration.ofSeconds(10));
        assertThat(policy.delayAfter(2)).isEqualTo(Duration.ofSeconds(20));
        assertThat(policy.delayAfter(3)).isEqualTo(Duration.ofSeconds(40));
        assertThat(policy.delayAfter(5)).isEqualTo(Duration.ofSeconds(160));
        assertThat(policy.delayAfter(6)).isEqualTo(Duration.ofMinutes(5));
        assertThat(policy.delayAfter(7)).isEqualTo(Duration.ofMinutes(5));
    }

    @Test
    void hugeAttemptCountsStayAtTheCapInsteadOfOverflowing() {
        assertThat(policy.delayAfter(10_000)).isEqualTo(Duration.ofMinutes(5));
    }

    @Test
    void refusesNonsense() {
        assertThatThrownBy(() -> new RetryPolicy(0, Duration.ofSeconds(1), Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RetryPolicy(3, Duration.ofSeconds(10), Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> policy.delayAfter(0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void recurringSchedulesBecomeDbSchedulerSchedules() {
        assertThat(JobScheduler.schedule(RecurringSchedule.cron("0 17 3 * * *")))
                .isNotNull();
        assertThat(JobScheduler.schedule(RecurringSchedule.fixedDelay(Duration.ofMinutes(1))))
                .isNotNull();
        assertThatThrownBy(() -> JobScheduler.schedule(RecurringSchedule.cron("not a cron")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RecurringSchedule.fixedDelay(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
