package dev.gatehouse.platform;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.support.EndToEndTest;
import dev.gatehouse.support.Http;
import dev.gatehouse.support.TestClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletionService;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** {@code Idempotency-Key} over HTTP, with Stripe's semantics. */
class IdempotencyTest extends EndToEndTest {

    @Autowired
    private TestClock clock;

    private final String user = TestCallers.user();

    @AfterEach
    void realTime() {
        clock.reset();
        PlatformTestController.gate = new CountDownLatch(0);
    }

    private Http.Response create(String key, String name) {
        return create(user, key, name);
    }

    private Http.Response create(String caller, String key, String name) {
        return http.post("/api/v1/test-support/widgets")
                .bearer(caller)
                .header("Idempotency-Key", key)
                .json("display_name", name, "count", 1, "active", true)
                .send();
    }

    private static String name() {
        return "w" + UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void retryReplaysTheFirstResponseWithoutRunningAgain() {
        String key = UUID.randomUUID().toString();
        String name = name();
        Http.Response first = create(key, name);
        assertThat(first.status()).as(first.toString()).isEqualTo(201);
        assertThat(first.header("Idempotent-Replayed")).isNull();

        Http.Response again = create(key, name);
        assertThat(again.status()).isEqualTo(201);
        assertThat(again.body()).isEqualTo(first.body());
        assertThat(again.header("Content-Type")).isEqualTo(first.header("Content-Type"));
        assertThat(again.header("Location")).isEqualTo(first.header("Location")).isNotNull();
        assertThat(again.header("Idempotent-Replayed")).isEqualTo("true");
        // The replay is a new request: it has its own request id.
        assertThat(again.header("X-Request-Id")).isNotEqualTo(first.header("X-Request-Id"));
        assertThat(PlatformTestController.executions(name)).isEqualTo(1);
    }

    @Test
    void withoutKeyEveryRequestRuns() {
        String name = name();
        for (int i = 0; i < 2; i++) {
            http.post("/api/v1/test-support/widgets")
                    .bearer(user)
                    .json("display_name", name, "count", 1, "active", true)
                    .send();
        }
        assertThat(PlatformTestController.executions(name)).isEqualTo(2);
    }

    @Test
    void sameKeyWithDifferentBodyIs422() {
        String key = UUID.randomUUID().toString();
        String name = name();
        assertThat(create(key, name).status()).isEqualTo(201);
        Http.Response reused = create(key, name());
        assertThat(reused.status()).isEqualTo(422);
        assertThat(reused.code()).isEqualTo("idempotency_key_reused");
        assertThat(reused.json().get("request_id").asString()).isEqualTo(reused.header("X-Request-Id"));
    }

    @Test
    void sameKeyOnAnotherPathIs422() {
        String key = UUID.randomUUID().toString();
        assertThat(create(key, name()).status()).isEqualTo(201);
        Http.Response other = http.post("/api/v1/test-support/refusals")
                .bearer(user)
                .header("Idempotency-Key", key)
                .json("value", "x")
                .send();
        assertThat(other.code()).isEqualTo("idempotency_key_reused");
    }

    @Test
    void keysAreScopedToTheCaller() {
        String key = UUID.randomUUID().toString();
        String name = name();
        assertThat(create(key, name).status()).isEqualTo(201);
        Http.Response someoneElse = create(TestCallers.user(), key, name);
        assertThat(someoneElse.status()).isEqualTo(201);
        assertThat(someoneElse.header("Idempotent-Replayed")).isNull();
        assertThat(PlatformTestController.executions(name)).isEqualTo(2);
    }

    @Test
    void concurrentDuplicatesRunOnceAndTheRestAre409() throws Exception {
        int callers = 20;
        String key = UUID.randomUUID().toString();
        String value = "gated-" + UUID.randomUUID();
        PlatformTestController.gate = new CountDownLatch(1);
        List<Http.Response> responses = new ArrayList<>();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            CompletionService<Http.Response> done = new ExecutorCompletionService<>(pool);
            CyclicBarrier start = new CyclicBarrier(callers);
            for (int i = 0; i < callers; i++) {
                done.submit(() -> {
                    start.await(10, TimeUnit.SECONDS);
                    return http.post("/api/v1/test-support/gated")
                            .bearer(user)
                            .header("Idempotency-Key", key)
                            .json("value", value)
                            .send();
                });
            }
            // One request holds the key and is parked in the handler behind the gate, so the other 19
            // can only complete by being turned away while it is in progress.
            for (int i = 0; i < callers - 1; i++) {
                Future<Http.Response> next = done.poll(30, TimeUnit.SECONDS);
                assertThat(next).as("response %d of the duplicates", i).isNotNull();
                responses.add(next.get());
            }
            PlatformTestController.gate.countDown();
            responses.add(done.take().get());
        }

        assertThat(PlatformTestController.executions(value)).isEqualTo(1);
        assertThat(responses).filteredOn(r -> r.status() == 201).hasSize(1);
        List<Http.Response> turnedAway =
                responses.stream().filter(r -> r.status() != 201).toList();
        assertThat(turnedAway).hasSize(callers - 1).allSatisfy(r -> {
            assertThat(r.status()).isEqualTo(409);
            assertThat(r.code()).isEqualTo("idempotency_request_in_progress");
            assertThat(r.header("Retry-After")).isEqualTo("1");
        });

        Http.Response later = http.post("/api/v1/test-support/gated")
                .bearer(user)
                .header("Idempotency-Key", key)
                .json("value", value)
                .send();
        assertThat(later.status()).isEqualTo(201);
        assertThat(later.header("Idempotent-Replayed")).isEqualTo("true");
        assertThat(PlatformTestController.executions(value)).isEqualTo(1);
    }

    @Test
    void businessRefusalIsStoredAndReplayed() {
        String key = UUID.randomUUID().toString();
        String value = "refused-" + UUID.randomUUID();
        for (int i = 0; i < 2; i++) {
            Http.Response response = http.post("/api/v1/test-support/refusals")
                    .bearer(user)
                    .header("Idempotency-Key", key)
                    .json("value", value)
                    .send();
            assertThat(response.status()).isEqualTo(422);
            assertThat(response.code()).isEqualTo("widget_sold_out");
        }
        assertThat(PlatformTestController.executions(value)).isEqualTo(1);
    }

    @Test
    void validationFailureIsNotStoredSoTheFixedRequestCanReuseTheKey() {
        String key = UUID.randomUUID().toString();
        Http.Response invalid = create(key, " ");
        assertThat(invalid.code()).isEqualTo("validation_failed");
        String name = name();
        Http.Response fixed = create(key, name);
        assertThat(fixed.status()).isEqualTo(201);
        assertThat(fixed.header("Idempotent-Replayed")).isNull();
    }

    @Test
    void streamedResponseIsStoredWhenItCompletes() {
        String key = UUID.randomUUID().toString();
        String value = "stream-" + UUID.randomUUID();
        Http.Response first = http.post("/api/v1/test-support/streams")
                .bearer(user)
                .header("Idempotency-Key", key)
                .json("value", value)
                .send();
        assertThat(first.status()).isEqualTo(200);
        assertThat(first.body()).contains("chunk 2 of execution 1");
        Http.Response replay = http.post("/api/v1/test-support/streams")
                .bearer(user)
                .header("Idempotency-Key", key)
                .json("value", value)
                .send();
        assertThat(replay.header("Idempotent-Replayed")).isEqualTo("true");
        assertThat(replay.body()).isEqualTo(first.body());
        assertThat(replay.header("Content-Type")).startsWith("text/plain");
        assertThat(PlatformTestController.executions(value)).isEqualTo(1);
    }

    @Test
    void keyIsForgottenAfter24Hours() {
        String key = UUID.randomUUID().toString();
        String name = name();
        assertThat(create(key, name).status()).isEqualTo(201);

        clock.advance(Duration.ofHours(23).plusMinutes(59));
        assertThat(create(key, name).header("Idempotent-Replayed")).isEqualTo("true");
        assertThat(create(key, name()).code()).isEqualTo("idempotency_key_reused");

        clock.advance(Duration.ofMinutes(2));
        Http.Response afterExpiry = create(key, name);
        assertThat(afterExpiry.status()).isEqualTo(201);
        assertThat(afterExpiry.header("Idempotent-Replayed")).isNull();
        assertThat(PlatformTestController.executions(name)).isEqualTo(2);
        // Reusing an expired key for a different request is allowed: it is a new key now.
        String otherName = name();
        clock.advance(Duration.ofHours(25));
        assertThat(create(key, otherName).status()).isEqualTo(201);
    }

    @Test
    void invalidKeysAreRefused() {
        for (String bad : new String[] {"", "   ", "k".repeat(256)}) {
            Http.Response response = create(bad, name());
            assertThat(response.status()).as("key of length %d", bad.length()).isEqualTo(400);
            assertThat(response.code()).isEqualTo("invalid_idempotency_key");
        }
        assertThat(create("k".repeat(255), name()).status()).isEqualTo(201);
    }

    @Test
    void keyIsIgnoredOutsidePostsToTheApi() {
        String key = UUID.randomUUID().toString();
        Http.Response get = http.get("/api/v1/test-support/widgets/x")
                .bearer(user)
                .header("Idempotency-Key", key)
                .send();
        assertThat(get.status()).isEqualTo(200);
        assertThat(http.get("/api/v1/test-support/widgets/x")
                        .bearer(user)
                        .header("Idempotency-Key", key)
                        .send()
                        .header("Idempotent-Replayed"))
                .isNull();
    }

    @Test
    void unauthenticatedRequestClaimsNoKey() {
        String key = UUID.randomUUID().toString();
        Http.Response anonymous = http.post("/api/v1/test-support/widgets")
                .header("Idempotency-Key", key)
                .json("display_name", "anon", "count", 1, "active", true)
                .send();
        assertThat(anonymous.status()).isEqualTo(401);
        String name = name();
        assertThat(create(key, name).status()).isEqualTo(201);
    }
}
