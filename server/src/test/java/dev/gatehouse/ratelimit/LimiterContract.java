package dev.gatehouse.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * What every backend must do, run against each ({@link MemoryBackendTest}, {@link RedisBackendTest}): the same
 * decisions for the same requests at the same instants. Time is passed in, so the suite moves it.
 */
abstract class LimiterContract {

    static final long S = 1_000_000;
    /** 2026-01-01T00:00:00Z in microseconds: real magnitudes, so Redis' doubles are exercised as in production. */
    static final long T0 = 1_767_225_600L * S;

    static final Policy ANONYMOUS = Policy.of("anonymous", 30, Duration.ofMinutes(1), 10, FailureMode.OPEN);
    static final Policy FREE = Policy.of("free", 60, Duration.ofMinutes(1), 20, FailureMode.OPEN);
    static final Policy REGISTER = Policy.of("register", 5, Duration.ofHours(1), 5, FailureMode.CLOSED);
    static final Policy BURST_50 = Policy.of("burst50", 50, Duration.ofSeconds(10), 50, FailureMode.OPEN);

    abstract LimiterBackend backend();

    static String subject() {
        return "ip:" + UUID.randomUUID();
    }

    @Test
    void theBurstPassesAtOnceThenOneRequestPerInterval() {
        String ip = subject();
        for (int i = 1; i <= 10; i++) {
            RateLimitDecision d = backend().decide(ip, ANONYMOUS, 1, T0);
            assertThat(d.allowed()).as("request %d", i).isTrue();
            assertThat(d.remaining()).isEqualTo(10 - i);
            assertThat(d.resetAfterMicros()).isEqualTo(i * 2 * S);
            assertThat(d.limit()).isEqualTo(10);
        }
        RateLimitDecision refused = backend().decide(ip, ANONYMOUS, 1, T0);
        assertThat(refused.allowed()).isFalse();
        assertThat(refused.retryAfterMicros()).isEqualTo(2 * S);
        assertThat(refused.resetAfterMicros()).isEqualTo(20 * S);
        assertThat(refused.remaining()).isZero();

        assertThat(backend().decide(ip, ANONYMOUS, 1, T0 + 2 * S - 1).allowed()).isFalse();
        assertThat(backend().decide(ip, ANONYMOUS, 1, T0 + 2 * S).allowed()).isTrue();
        assertThat(backend().decide(ip, ANONYMOUS, 1, T0 + 2 * S).allowed()).isFalse();
        // The sustained rate: one every 2 s (at T0 + 4 s, 6 s, ..., 62 s), for a minute.
        int admitted = 0;
        for (long t = T0 + 2 * S + 100_000; t <= T0 + 62 * S; t += 100_000) {
            if (backend().decide(ip, ANONYMOUS, 1, t).allowed()) admitted++;
        }
        assertThat(admitted).isEqualTo(30);
    }

    @Test
    void aRefusalSpendsNothing() {
        String ip = subject();
        for (int i = 0; i < 10; i++) backend().decide(ip, ANONYMOUS, 1, T0);
        for (int i = 0; i < 100; i++) {
            assertThat(backend().decide(ip, ANONYMOUS, 1, T0 + S).allowed()).isFalse();
        }
        assertThat(backend().decide(ip, ANONYMOUS, 1, T0 + 2 * S).allowed()).isTrue();
    }

    @Test
    void anIdleSubjectIsFullAgainAndNeverFuller() {
        String user = subject();
        for (int i = 0; i < 20; i++) backend().decide(user, FREE, 1, T0);
        assertThat(backend().decide(user, FREE, 1, T0).allowed()).isFalse();
        RateLimitDecision later = backend().decide(user, FREE, 1, T0 + 3600 * S);
        assertThat(later.allowed()).isTrue();
        assertThat(later.remaining()).isEqualTo(19);
    }

    @Test
    void aCostSpendsSeveralUnitsAndZeroOnlyLooks() {
        String key = subject();
        RateLimitDecision spent = backend().decide(key, FREE, 15, T0);
        assertThat(spent.allowed()).isTrue();
        assertThat(spent.remaining()).isEqualTo(5);
        RateLimitDecision tooMuch = backend().decide(key, FREE, 6, T0);
        assertThat(tooMuch.allowed()).isFalse();
        assertThat(tooMuch.retryAfterMicros()).isEqualTo(S);
        RateLimitDecision look = backend().decide(key, FREE, 0, T0);
        assertThat(look.allowed()).isTrue();
        assertThat(look.remaining()).isEqualTo(5);
        assertThat(backend().decide(key, FREE, 5, T0).remaining()).isZero();
        assertThat(backend().decide(key, FREE, 0, T0).allowed()).isTrue();
        assertThat(backend().decide(key, FREE, 1, T0).allowed()).isFalse();
    }

    @Test
    void subjectsAndPoliciesAreCountedApart() {
        String a = subject();
        String b = subject();
        for (int i = 0; i < 10; i++) backend().decide(a, ANONYMOUS, 1, T0);
        assertThat(backend().decide(a, ANONYMOUS, 1, T0).allowed()).isFalse();
        assertThat(backend().decide(b, ANONYMOUS, 1, T0).remaining()).isEqualTo(9);
        assertThat(backend().decide(a, FREE, 1, T0).remaining()).isEqualTo(19);
    }

    @Test
    void longPeriodsKeepTheirMicroseconds() {
        String ip = subject();
        for (int i = 0; i < 5; i++)
            assertThat(backend().decide(ip, REGISTER, 1, T0 + i).allowed()).isTrue();
        RateLimitDecision refused = backend().decide(ip, REGISTER, 1, T0 + 5);
        assertThat(refused.allowed()).isFalse();
        assertThat(refused.retryAfterMicros()).isEqualTo(720 * S - 5);
        assertThat(refused.retryAfterSeconds()).isEqualTo(720);
        assertThat(refused.resetAfterSeconds()).isEqualTo(3600);
        assertThat(backend().decide(ip, REGISTER, 1, T0 + 720 * S - 1).allowed())
                .isFalse();
        assertThat(backend().decide(ip, REGISTER, 1, T0 + 720 * S).allowed()).isTrue();
    }

    @Test
    void twoHundredThreadsAgainstABurstOfFiftyGetExactlyFiftyInTheFirstInstant() throws Exception {
        for (int round = 0; round < 3; round++) {
            String hot = subject();
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Boolean>> answers = new ArrayList<>();
            try (ExecutorService pool = Executors.newFixedThreadPool(200)) {
                for (int i = 0; i < 200; i++) {
                    answers.add(pool.submit(() -> {
                        start.await();
                        return backend().decide(hot, BURST_50, 1, T0).allowed();
                    }));
                }
                start.countDown();
                int admitted = 0;
                for (Future<Boolean> a : answers) if (a.get()) admitted++;
                assertThat(admitted).as("round %d", round).isEqualTo(50);
            }
        }
    }

    @Test
    void clearingASubjectForgetsItUnderEveryPolicy() {
        String ip = subject();
        for (int i = 0; i < 10; i++) backend().decide(ip, ANONYMOUS, 1, T0);
        backend().decide(ip, FREE, 20, T0);
        assertThat(backend().clear(ip, Set.of(ANONYMOUS, FREE, REGISTER))).isEqualTo(2);
        assertThat(backend().decide(ip, ANONYMOUS, 1, T0).remaining()).isEqualTo(9);
        assertThat(backend().decide(ip, FREE, 1, T0).remaining()).isEqualTo(19);
        assertThat(backend().clear(subject(), Set.of(ANONYMOUS))).isZero();
    }

    @Test
    void aBreachIsSampledOncePerIntervalPerSubjectAndPolicy() {
        String ip = subject();
        for (int i = 0; i < 11; i++) backend().decide(ip, ANONYMOUS, 1, T0);
        long minute = 60 * S;
        assertThat(backend().firstBreach(ip, ANONYMOUS, T0, minute)).isTrue();
        assertThat(backend().firstBreach(ip, ANONYMOUS, T0 + S, minute)).isFalse();
        String other = subject();
        for (int i = 0; i < 11; i++) backend().decide(other, ANONYMOUS, 1, T0);
        assertThat(backend().firstBreach(other, ANONYMOUS, T0 + S, minute)).isTrue();
        assertThat(backend().firstBreach(ip, ANONYMOUS, T0 + 30 * S, minute)).isFalse();
    }

    @Test
    void aSubjectFullAgainHoldsNoState() {
        String ip = subject();
        backend().decide(ip, ANONYMOUS, 3, T0);
        assertThat(held(ip, ANONYMOUS, T0)).isTrue();
        assertThat(held(ip, ANONYMOUS, T0 + 6 * S)).isFalse();
    }

    /** Whether the backend still holds state for the subject at {@code now}, after its own forgetting ran. */
    abstract boolean held(String subject, Policy policy, long now);
}
