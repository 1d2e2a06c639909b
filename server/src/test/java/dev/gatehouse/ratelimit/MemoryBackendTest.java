package dev.gatehouse.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** The contract on this node's memory, plus the sweep racing with decisions. */
class MemoryBackendTest extends LimiterContract {

    private final MemoryBackend backend = new MemoryBackend();

    @Override
    LimiterBackend backend() {
        return backend;
    }

    @Override
    boolean held(String subject, Policy policy, long now) {
        backend.sweep(now, 60 * S);
        return backend.holds(subject, policy);
    }

    @Test
    void sweepingWhileDecidingNeverLosesAnAdmission() throws Exception {
        // Each round: a subject spends its burst of 50 in one instant while the sweep runs as often as it can at a
        // later instant (where every cell looks full again and may be removed). However the two interleave, the
        // subject must never get more than 50 + what the passing time restores.
        for (int round = 0; round < 20; round++) {
            String hot = subject();
            AtomicBoolean sweeping = new AtomicBoolean(true);
            List<Future<Integer>> answers = new ArrayList<>();
            try (ExecutorService pool = Executors.newFixedThreadPool(9)) {
                Future<?> sweeper = pool.submit(() -> {
                    while (sweeping.get()) backend.sweep(T0 - 1, 0);
                });
                for (int i = 0; i < 8; i++) {
                    answers.add(pool.submit(() -> {
                        int admitted = 0;
                        for (int j = 0; j < 20; j++)
                            if (backend.decide(hot, BURST_50, 1, T0).allowed()) admitted++;
                        return admitted;
                    }));
                }
                int admitted = 0;
                for (Future<Integer> a : answers) admitted += a.get();
                assertThat(admitted).as("round %d", round).isEqualTo(50);
                sweeping.set(false);
                sweeper.get();
            }
            int more = 0;
            while (backend.decide(hot, BURST_50, 1, T0).allowed()) more++;
            assertThat(more)
                    .as("round %d: admissions left after 160 attempts on a burst of 50", round)
                    .isZero();
        }
    }
}
