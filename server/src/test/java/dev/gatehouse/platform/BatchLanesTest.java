package dev.gatehouse.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Group commit in the application: every request is decided exactly once, in batches, and nobody waits forever. */
class BatchLanesTest {

    /** A request that records which batch decided it. */
    private static final class Request {
        final int lane;
        volatile int decidedBy = -1;
        final AtomicInteger decisions = new AtomicInteger();

        Request(int lane) {
            this.lane = lane;
        }
    }

    @Test
    void twoHundredThreadsAreEachDecidedOnceAndWaitersShareBatches() throws Exception {
        int threads = 200;
        // Each lane's first batch is held until every thread has called submit: the others queue meanwhile, as
        // they do during a commit's flush, so batches must form (no timing involved).
        CountDownLatch allSubmitting = new CountDownLatch(threads);
        AtomicInteger batches = new AtomicInteger();
        ConcurrentHashMap<Integer, Integer> running = new ConcurrentHashMap<>();
        List<Integer> sizes = java.util.Collections.synchronizedList(new ArrayList<>());
        BatchLanes<Request> lanes = new BatchLanes<>(4, 16, batch -> {
            int id = batches.incrementAndGet();
            // One batch at a time per lane: a second leader in the same lane would break the lane's ordering.
            for (int lane : batch.stream().map(r -> r.lane).distinct().toList()) {
                assertThat(running.putIfAbsent(lane, id)).isNull();
            }
            sizes.add(batch.size());
            try {
                assertThat(allSubmitting.await(30, TimeUnit.SECONDS)).isTrue();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
            for (Request r : batch) {
                r.decidedBy = id;
                r.decisions.incrementAndGet();
            }
            batch.stream().map(r -> r.lane).distinct().forEach(running::remove);
        });

        List<Request> requests = new ArrayList<>();
        for (int i = 0; i < threads; i++) requests.add(new Request(i % 4));
        try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
            List<Future<?>> done = new ArrayList<>();
            for (Request r : requests) {
                done.add(pool.submit(() -> {
                    allSubmitting.countDown();
                    lanes.submit(r.lane, r);
                    return null;
                }));
            }
            for (Future<?> f : done) f.get(60, TimeUnit.SECONDS);
        }
        assertThat(requests).allSatisfy(r -> {
            assertThat(r.decisions).hasValue(1);
            assertThat(r.decidedBy).isPositive();
        });
        assertThat(sizes.stream().mapToInt(Integer::intValue).sum()).isEqualTo(threads);
        assertThat(sizes).allSatisfy(size -> assertThat(size).isBetween(1, 16));
        // Requests that waited together were decided together: far fewer batches than requests.
        assertThat(batches.get()).isLessThan(threads / 2);
    }

    @Test
    void aFailingBatchFailsEachOfItsRequestsAndTheLaneGoesOn() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        BatchLanes<Request> lanes = new BatchLanes<>(1, 8, batch -> {
            if (calls.incrementAndGet() == 1) throw new IllegalStateException("the database went away");
            for (Request r : batch) r.decisions.incrementAndGet();
        });
        Request first = new Request(0);
        assertThatThrownBy(() -> lanes.submit(0, first)).hasMessage("the database went away");
        Request next = new Request(0);
        lanes.submit(0, next);
        assertThat(next.decisions).hasValue(1);

        BatchLanes<Request> broken = new BatchLanes<>(1, 8, batch -> {
            throw new AssertionError("a bug");
        });
        assertThatThrownBy(() -> broken.submit(0, new Request(0))).isInstanceOf(AssertionError.class);
        // The lane was handed on: the next request leads it again instead of waiting forever.
        assertThatThrownBy(() -> broken.submit(0, new Request(0))).isInstanceOf(AssertionError.class);
    }
}
