package dev.gatehouse.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** GCRA's arithmetic on plain numbers: the notes' policies, their headers, and the edges. */
class GcraTest {

    private static final long S = 1_000_000;

    @Test
    void theNotesPoliciesBecomeIntervalsAndTolerances() {
        Policy anonymous = Policy.of("anonymous", 30, Duration.ofMinutes(1), 10, FailureMode.OPEN);
        assertThat(anonymous.intervalMicros()).isEqualTo(2 * S);
        assertThat(anonymous.toleranceMicros()).isEqualTo(20 * S);
        assertThat(anonymous.headerPolicy()).isEqualTo("\"anonymous\";q=10;w=20");

        Policy register = Policy.of("register", 5, Duration.ofHours(1), 5, FailureMode.CLOSED);
        assertThat(register.intervalMicros()).isEqualTo(720 * S);
        assertThat(register.headerPolicy()).isEqualTo("\"register\";q=5;w=3600");

        Policy spec = Policies.of(
                "pro", new RateLimitSettings.PolicySpec(300, Duration.ofMinutes(1), null, FailureMode.OPEN));
        assertThat(spec.burst()).as("burst defaults to the whole limit").isEqualTo(300);
        assertThat(spec.headerPolicy()).isEqualTo("\"pro\";q=300;w=60");
    }

    @Test
    void fromIdleExactlyTheBurstPassesThenOnePerInterval() {
        Policy p = Policy.of("free", 60, Duration.ofMinutes(1), 20, FailureMode.OPEN);
        long now = 1_000 * S;
        long tat = Long.MIN_VALUE + 1;
        for (int i = 1; i <= 20; i++) {
            assertThat(Gcra.admits(tat, now, p, 1)).as("request %d", i).isTrue();
            tat = Gcra.newTat(tat, now, p, 1);
            assertThat(Gcra.allowed(p, tat, now).remaining()).isEqualTo(20 - i);
        }
        assertThat(Gcra.admits(tat, now, p, 1)).isFalse();
        RateLimitDecision refused = Gcra.denied(p, tat, now, 1);
        assertThat(refused.retryAfterMicros()).isEqualTo(S);
        assertThat(refused.retryAfterSeconds()).isEqualTo(1);
        assertThat(refused.resetAfterSeconds()).isEqualTo(20);
        assertThat(refused.remaining()).isZero();

        // One interval later exactly one more, and not a microsecond earlier.
        assertThat(Gcra.admits(tat, now + S - 1, p, 1)).isFalse();
        assertThat(Gcra.admits(tat, now + S, p, 1)).isTrue();
        // A subject idle for long is full again, never more than full.
        assertThat(Gcra.allowed(p, Gcra.newTat(tat, now + 3600 * S, p, 1), now + 3600 * S)
                        .remaining())
                .isEqualTo(19);
    }

    @Test
    void aCostSpendsSeveralUnitsAndACostOfZeroOnlyLooks() {
        Policy p = Policy.of("check", 10, Duration.ofSeconds(10), 10, FailureMode.OPEN);
        long now = 5 * S;
        long tat = Gcra.newTat(Long.MIN_VALUE + 1, now, p, 7);
        assertThat(Gcra.allowed(p, tat, now).remaining()).isEqualTo(3);
        assertThat(Gcra.admits(tat, now, p, 4)).isFalse();
        assertThat(Gcra.denied(p, tat, now, 4).retryAfterMicros()).isEqualTo(S);
        assertThat(Gcra.admits(tat, now, p, 3)).isTrue();
        assertThat(Gcra.admits(tat, now, p, 0)).isTrue();
        assertThat(Gcra.newTat(tat, now, p, 0)).isEqualTo(tat);
    }

    @Test
    void remainingIsTheExactQuotientOfWhatIsFree() {
        java.util.SplittableRandom random = new java.util.SplittableRandom(42);
        for (int i = 0; i < 200_000; i++) {
            long interval = 1 + random.nextLong(3_600_000_000L);
            long limit = 1 + random.nextLong(Math.min(1_000_000L, 30_000_000_000_000L / interval));
            long burst = 1 + random.nextLong(Math.min(1_000_000_000_000L, (1L << 53) / interval));
            Policy p = Policy.of("p", limit, Duration.ofNanos(interval * limit * 1_000), burst, FailureMode.OPEN);
            long resetAfter = random.nextLong(p.toleranceMicros() + 1);
            // Exact multiples of the interval are where a rounded reciprocal would slip by one.
            if (i % 2 == 0) resetAfter = p.toleranceMicros() - p.intervalMicros() * random.nextLong(burst + 1);
            long free = p.toleranceMicros() - resetAfter;
            assertThat(Gcra.remaining(p, resetAfter))
                    .as("interval %d, free %d", p.intervalMicros(), free)
                    .isEqualTo(free <= 0 ? 0 : Math.min(burst, free / p.intervalMicros()));
        }
    }

    @Test
    void policiesThatCannotBeCountedAreRefusedAtStartup() {
        assertThatThrownBy(() -> Policy.of("Bad Name", 1, Duration.ofMinutes(1), 1, FailureMode.OPEN))
                .hasMessageContaining("must match");
        assertThatThrownBy(() -> Policy.of("zero", 0, Duration.ofMinutes(1), 1, FailureMode.OPEN))
                .hasMessageContaining("limit must be at least 1");
        assertThatThrownBy(() -> Policy.of("fast", 2_000_000, Duration.ofSeconds(1), 1, FailureMode.OPEN))
                .hasMessageContaining("more than one request per microsecond");
    }

    @Test
    void secondsAreRoundedUpAndARefusalWaitsAtLeastOne() {
        RateLimitDecision refused = new RateLimitDecision(false, "p", 1, 0, 1, 1);
        assertThat(refused.retryAfterSeconds()).isEqualTo(1);
        assertThat(refused.resetAfterSeconds()).isEqualTo(1);
        assertThat(new RateLimitDecision(true, "p", 1, 1, 0, 0).retryAfterSeconds())
                .isZero();
        assertThat(new RateLimitDecision(false, "p", 1, 0, 2_000_001, 1_500_000).retryAfterSeconds())
                .isEqualTo(2);
    }
}
