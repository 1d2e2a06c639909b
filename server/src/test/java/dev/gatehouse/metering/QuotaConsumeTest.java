package dev.gatehouse.metering;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.support.Http;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * POST /api/v1/quotas/consume over HTTP: the default catalog's free plan allows 1,000 api_calls a day and 100
 * jobs a month.
 */
class QuotaConsumeTest extends MeteringEndToEndTest {

    Http.Response consume(String service, UUID org, String meter, long amount, String key) {
        Http.Request r =
                http.post(CONSUME).bearer(service).json("org", org.toString(), "meter", meter, "amount", amount);
        if (key != null) r.header("Idempotency-Key", key);
        return r.send();
    }

    @Test
    void admitsUpToTheLimitThenAnswers402WithWhatToUpgradeTo() {
        User u = user("quota-basic");
        String service = serviceKey();
        Http.Response first = consume(service, u.org(), "api_calls", 998, null);
        assertThat(first.status()).as(first.toString()).isEqualTo(200);
        JsonNode d = first.json();
        assertThat(d.get("allowed").asBoolean()).isTrue();
        assertThat(d.get("used").asInt()).isEqualTo(998);
        assertThat(d.get("limit").asInt()).isEqualTo(1000);
        assertThat(d.get("remaining").asInt()).isEqualTo(2);
        Instant resets = Instant.parse(d.get("resets_at").asString());
        assertThat(resets).isEqualTo(today().plusDays(1).atStartOfDay().toInstant(java.time.ZoneOffset.UTC));

        Http.Response over = consume(service, u.org(), "api_calls", 3, null);
        assertProblem(over, 402, "quota_exceeded");
        JsonNode p = over.json();
        assertThat(p.get("allowed").asBoolean()).isFalse();
        assertThat(p.get("used").asInt()).isEqualTo(998);
        assertThat(p.get("remaining").asInt()).isEqualTo(2);
        assertThat(p.get("limit").asInt()).isEqualTo(1000);
        assertThat(p.get("resets_at").asString()).isEqualTo(resets.toString());
        assertThat(p.get("plan").asString()).isEqualTo("free");
        assertThat(p.get("upgrade_plans").valueStream().map(JsonNode::asString)).containsExactly("pro", "enterprise");
        assertThat(p.get("upgrade_url").asString()).isEqualTo("https://example.com/pricing");

        Http.Response last = consume(service, u.org(), "api_calls", 2, null);
        assertThat(last.status()).as(last.toString()).isEqualTo(200);
        assertThat(last.json().get("remaining").asInt()).isZero();
        assertProblem(consume(service, u.org(), "api_calls", 1, null), 402, "quota_exceeded");

        // Consumed units are usage: they show in the organization's usage of the meter.
        assertThat(usage(u, "api_calls", "").get("total").asInt()).isEqualTo(1000);
    }

    @Test
    void anUpgradeRaisesTheLimitAtOnceAndKeepsTheCount() {
        User u = user("quota-upgrade");
        String service = serviceKey();
        assertThat(consume(service, u.org(), "api_calls", 1000, null).status()).isEqualTo(200);
        assertProblem(consume(service, u.org(), "api_calls", 1, null), 402, "quota_exceeded");
        Http.Response moved = http.post("/api/v1/admin/orgs/" + u.org() + "/subscription/override")
                .bearer(admin())
                .json("plan", "pro", "reason", "quota test")
                .send();
        assertThat(moved.status()).as(moved.toString()).isEqualTo(200);
        Http.Response more = consume(service, u.org(), "api_calls", 1, null);
        assertThat(more.status()).as(more.toString()).isEqualTo(200);
        assertThat(more.json().get("used").asInt()).isEqualTo(1001);
        assertThat(more.json().get("limit").asInt()).isEqualTo(50_000);
        Http.Response over = consume(service, u.org(), "api_calls", 49_000, null);
        assertProblem(over, 402, "quota_exceeded");
        assertThat(over.json().get("plan").asString()).isEqualTo("pro");
        assertThat(over.json().get("upgrade_plans").valueStream().map(JsonNode::asString))
                .containsExactly("enterprise");
    }

    @Test
    void theCountStartsAgainWhenThePeriodEnds() {
        User u = user("quota-reset");
        String service = serviceKey();
        assertThat(consume(service, u.org(), "api_calls", 1000, null).status()).isEqualTo(200);
        assertProblem(consume(service, u.org(), "api_calls", 1, null), 402, "quota_exceeded");
        clock.advance(Duration.ofDays(1));
        Http.Response tomorrow = consume(service, u.org(), "api_calls", 1, null);
        assertThat(tomorrow.status()).as(tomorrow.toString()).isEqualTo(200);
        assertThat(tomorrow.json().get("used").asInt()).isEqualTo(1);
    }

    @Test
    void eventsAndConsumptionShareOneCount() {
        User u = user("quota-events");
        String service = serviceKey();
        List<java.util.Map<String, Object>> events = new ArrayList<>();
        for (int i = 0; i < 95; i++) events.add(event("job-" + i, u.org(), "jobs"));
        assertThat(sent(service, events).get("accepted").asInt()).isEqualTo(95);
        Http.Response fits = consume(service, u.org(), "jobs", 5, null);
        assertThat(fits.status()).as(fits.toString()).isEqualTo(200);
        assertThat(fits.json().get("used").asInt()).isEqualTo(100);
        assertThat(fits.json().get("resets_at").asString())
                .isEqualTo(today().withDayOfMonth(1)
                        .plusMonths(1)
                        .atStartOfDay()
                        .toInstant(java.time.ZoneOffset.UTC)
                        .toString());
        assertProblem(consume(service, u.org(), "jobs", 1, null), 402, "quota_exceeded");
    }

    @Test
    void aMeterWithoutALimitIsAlwaysAdmittedAndCounted() {
        User u = user("quota-unlimited");
        Http.Response r = consume(serviceKey(), u.org(), "tokens", 1_000_000, null);
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertThat(r.json().get("allowed").asBoolean()).isTrue();
        assertThat(r.json().has("limit")).isFalse();
        assertThat(r.json().has("remaining")).isFalse();
        assertThat(usage(u, "tokens", "").get("total").asInt()).isEqualTo(1_000_000);
    }

    @Test
    void anIdempotencyKeyReplaysTheFirstAnswerAndNeverCountsTwice() {
        User u = user("quota-idempotent");
        String service = serviceKey();
        Http.Response first = consume(service, u.org(), "api_calls", 10, "k-1");
        assertThat(first.status()).isEqualTo(200);
        assertThat(first.header("Idempotent-Replayed")).isNull();
        Http.Response again = consume(service, u.org(), "api_calls", 10, "k-1");
        assertThat(again.status()).isEqualTo(200);
        assertThat(again.header("Idempotent-Replayed")).isEqualTo("true");
        assertThat(again.json()).isEqualTo(first.json());
        assertProblem(consume(service, u.org(), "api_calls", 11, "k-1"), 422, "idempotency_key_reused");
        // Keys are the caller's: another service key with the same key is another consumption.
        Http.Response other = consume(serviceKey(), u.org(), "api_calls", 10, "k-1");
        assertThat(other.json().get("used").asInt()).isEqualTo(20);

        // A refusal is replayed too, even after the limit would let it through.
        assertProblem(consume(service, u.org(), "api_calls", 990, "k-2"), 402, "quota_exceeded");
        clock.advance(Duration.ofDays(1));
        Http.Response replayedRefusal = consume(service, u.org(), "api_calls", 990, "k-2");
        assertProblem(replayedRefusal, 402, "quota_exceeded");
        assertThat(replayedRefusal.header("Idempotent-Replayed")).isEqualTo("true");

        assertProblem(consume(service, u.org(), "api_calls", 1, " "), 400, "invalid_idempotency_key");
        assertProblem(consume(service, u.org(), "api_calls", 1, "x".repeat(256)), 400, "invalid_idempotency_key");
    }

    @Test
    void concurrentDuplicatesUnderOneKeyAreCountedOnce() throws Exception {
        User u = user("quota-idempotent-race");
        String service = serviceKey();
        List<Callable<Http.Response>> calls = new ArrayList<>();
        for (int i = 0; i < 24; i++) calls.add(() -> consume(service, u.org(), "api_calls", 7, "same"));
        List<JsonNode> answers = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(24)) {
            for (Future<Http.Response> f : pool.invokeAll(calls)) {
                assertThat(f.get().status()).as(f.get().toString()).isEqualTo(200);
                answers.add(f.get().json());
            }
        }
        assertThat(answers).allSatisfy(a -> assertThat(a.get("used").asInt()).isEqualTo(7));
        assertThat(usage(u, "api_calls", "").get("total").asInt()).isEqualTo(7);
    }

    @Test
    void whatCannotBeConsumedIsRefusedClearly() {
        User u = user("quota-refusals");
        String service = serviceKey();
        assertProblem(consume(service, u.org(), "no_such_meter", 1, null), 422, "unknown_meter");
        assertProblem(consume(service, u.org(), "storage_mb", 1, null), 422, "meter_not_consumable");
        assertProblem(consume(service, UUID.randomUUID(), "api_calls", 1, null), 404, "not_found");
        assertProblem(consume(service, u.org(), "api_calls", 0, null), 400, "validation_failed");
        assertProblem(
                http.post(CONSUME).bearer(service).json("meter", "api_calls").send(), 400, "validation_failed");
        Http.Response defaultAmount = http.post(CONSUME)
                .bearer(service)
                .json("org", u.org().toString(), "meter", "api_calls")
                .send();
        assertThat(defaultAmount.json().get("used").asInt()).isEqualTo(1);
    }

    @Test
    void onlyTheProductsBackendConsumes() {
        User u = user("quota-who");
        assertProblem(
                http.post(CONSUME)
                        .json("org", u.org().toString(), "meter", "api_calls")
                        .send(),
                401,
                "unauthenticated");
        assertProblem(consume(u.token(), u.org(), "api_calls", 1, null), 403, "forbidden");
        assertProblem(consume(admin(), u.org(), "api_calls", 1, null), 403, "forbidden");
    }
}
