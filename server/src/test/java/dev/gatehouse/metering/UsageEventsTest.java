package dev.gatehouse.metering;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.support.Http;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** POST /api/v1/usage/events: per-event results, deduplication (also under concurrency), late events. */
class UsageEventsTest extends MeteringEndToEndTest {

    @Test
    void eachEventOfABatchIsJudgedOnItsOwnAndAnsweredInOrder() {
        User u = user("ingest-mix");
        String service = serviceKey();
        String late = clock.instant().minus(Duration.ofDays(2)).toString();
        String ahead = clock.instant().plus(Duration.ofHours(1)).toString();
        JsonNode answer = sent(
                service,
                List.of(
                        event("a-1", u.org(), "api_calls"),
                        event("a-2", u.org(), "no_such_meter"),
                        event("a-3", u.org(), "tokens", "value", 120.5),
                        event("a-1", u.org(), "api_calls"),
                        event("a-4", u.org(), "tokens"),
                        event("a-5", u.org(), "api_calls", "timestamp", late),
                        event("a-6", u.org(), "api_calls", "timestamp", ahead),
                        event("a-7", u.org(), "api_calls", "timestamp", "yesterday"),
                        event("a-8", UUID.randomUUID(), "api_calls"),
                        event("", u.org(), "api_calls"),
                        event("a-9", u.org(), "tokens", "value", -1),
                        event("a-10", u.org(), "api_calls", "properties", Map.of("nested", Map.of("x", 1))),
                        event("a-11", u.org(), "active_users", "properties", Map.of("plan", "x")),
                        event("a-12", u.org(), "active_users", "properties", Map.of("user_id", "u-1"))));

        assertThat(statuses(answer))
                .containsExactly(
                        "accepted",
                        "rejected",
                        "accepted",
                        "duplicate",
                        "rejected",
                        "rejected",
                        "rejected",
                        "rejected",
                        "rejected",
                        "rejected",
                        "rejected",
                        "rejected",
                        "rejected",
                        "accepted");
        List<String> codes = new ArrayList<>();
        answer.get("results")
                .forEach(r -> codes.add(r.has("code") ? r.get("code").asString() : "-"));
        assertThat(codes)
                .containsExactly(
                        "-",
                        "unknown_meter",
                        "-",
                        "-",
                        "invalid_value",
                        "too_late",
                        "in_future",
                        "invalid_timestamp",
                        "unknown_org",
                        "invalid_id",
                        "invalid_value",
                        "invalid_properties",
                        "missing_property",
                        "-");
        assertThat(answer.get("results").get(1).get("reason").asString()).contains("no_such_meter");
        assertThat(answer.get("accepted").asInt()).isEqualTo(3);
        assertThat(answer.get("duplicates").asInt()).isEqualTo(1);
        assertThat(answer.get("rejected").asInt()).isEqualTo(10);

        assertThat(usage(u, "api_calls", "").get("total").asInt()).isEqualTo(1);
        assertThat(usage(u, "tokens", "").get("total").decimalValue()).isEqualByComparingTo("120.5");
        assertThat(usage(u, "active_users", "").get("total").asInt()).isEqualTo(1);
    }

    @Test
    void aBatchSentAgainIsAllDuplicatesAndCountsOnce() {
        User u = user("ingest-replay");
        String service = serviceKey();
        List<Map<String, Object>> batch = IntStream.range(0, 50)
                .mapToObj(i -> event("r-" + i, u.org(), "tokens", "value", 2))
                .toList();
        assertThat(sent(service, batch).get("accepted").asInt()).isEqualTo(50);
        JsonNode again = sent(service, batch);
        assertThat(again.get("duplicates").asInt()).isEqualTo(50);
        assertThat(statuses(again)).containsOnly("duplicate");
        // A different service key is no different: ids belong to the organization, not to the sender.
        assertThat(sent(serviceKey(), batch.subList(0, 10)).get("duplicates").asInt())
                .isEqualTo(10);
        assertThat(usage(u, "tokens", "").get("total").asInt()).isEqualTo(100);
    }

    @Test
    void theSameIdsSentConcurrentlyInDifferentBatchesAreCountedOnce() throws Exception {
        User u = user("ingest-race");
        String service = serviceKey();
        int ids = 400;
        int batches = 16;
        List<Callable<JsonNode>> senders = new ArrayList<>();
        for (int b = 0; b < batches; b++) {
            // Every batch carries every id, each in its own shuffled order, so the batches overlap completely.
            List<Map<String, Object>> batch = new ArrayList<>(IntStream.range(0, ids)
                    .mapToObj(i -> event("c-" + i, u.org(), "api_calls"))
                    .toList());
            Collections.shuffle(batch);
            senders.add(() -> sent(service, batch));
        }
        int accepted = 0;
        int duplicates = 0;
        try (ExecutorService pool = Executors.newFixedThreadPool(batches)) {
            for (Future<JsonNode> f : pool.invokeAll(senders)) {
                accepted += f.get().get("accepted").asInt();
                duplicates += f.get().get("duplicates").asInt();
            }
        }
        assertThat(accepted).as("each id accepted by exactly one batch").isEqualTo(ids);
        assertThat(duplicates).isEqualTo(ids * (batches - 1));
        assertThat(usage(u, "api_calls", "").get("total").asInt()).isEqualTo(ids);
        assertThat(db.sql("select count(*) from usage_events where org_id = :org")
                        .param("org", u.org())
                        .query(Long.class)
                        .single())
                .isEqualTo(ids);
    }

    @Test
    void lateEventsWithinTheGraceCountInTheirOwnDay() {
        User u = user("ingest-late");
        String service = serviceKey();
        Instant now = clock.instant();
        Instant yesterday = now.minus(Duration.ofHours(23));
        JsonNode answer = sent(
                service,
                List.of(
                        event("l-1", u.org(), "api_calls", "timestamp", yesterday.toString()),
                        event("l-2", u.org(), "api_calls"),
                        event(
                                "l-3",
                                u.org(),
                                "api_calls",
                                "timestamp",
                                now.minus(Duration.ofHours(25)).toString())));
        assertThat(statuses(answer)).containsExactly("accepted", "accepted", "rejected");
        assertThat(answer.get("results").get(2).get("code").asString()).isEqualTo("too_late");

        String range = "&from=" + today().minusDays(1) + "&to=" + today();
        JsonNode series = usage(u, "api_calls", range);
        assertThat(series.get("total").asInt()).isEqualTo(2);
        Map<String, Integer> perDay = new java.util.TreeMap<>();
        series.get("points")
                .forEach(p ->
                        perDay.put(p.get("start").asString(), p.get("value").asInt()));
        String yesterdayDay = java.time.LocalDate.ofInstant(yesterday, java.time.ZoneOffset.UTC)
                .toString();
        if (yesterdayDay.equals(today().toString())) {
            assertThat(perDay).containsExactly(Map.entry(today().toString(), 2));
        } else {
            assertThat(perDay).containsExactly(Map.entry(yesterdayDay, 1), Map.entry(today().toString(), 1));
        }
    }

    @Test
    void eachAggregationSummarizesItsMeter() {
        User u = user("ingest-aggregations");
        String service = serviceKey();
        Instant t = clock.instant().minus(Duration.ofMinutes(30));
        sent(
                service,
                List.of(
                        event("g-1", u.org(), "storage_mb", "value", 300, "timestamp", t.toString()),
                        event(
                                "g-2",
                                u.org(),
                                "storage_mb",
                                "value",
                                120,
                                "timestamp",
                                t.plusSeconds(60).toString()),
                        event(
                                "g-3",
                                u.org(),
                                "storage_mb",
                                "value",
                                999,
                                "timestamp",
                                t.minusSeconds(60).toString()),
                        event("g-4", u.org(), "peak_concurrency", "value", 7),
                        event("g-5", u.org(), "peak_concurrency", "value", 3),
                        event("g-6", u.org(), "active_users", "properties", Map.of("user_id", "ada")),
                        event("g-7", u.org(), "active_users", "properties", Map.of("user_id", "ada")),
                        event("g-8", u.org(), "active_users", "properties", Map.of("user_id", 42)),
                        event("g-9", u.org(), "tokens", "value", new BigDecimal("0.000000001")),
                        event("g-10", u.org(), "tokens", "value", 5)));
        assertThat(usage(u, "storage_mb", "").get("total").asInt()).as("latest").isEqualTo(120);
        assertThat(usage(u, "peak_concurrency", "").get("total").asInt())
                .as("max")
                .isEqualTo(7);
        assertThat(usage(u, "active_users", "").get("total").asInt())
                .as("unique_count")
                .isEqualTo(2);
        assertThat(usage(u, "tokens", "").get("total").decimalValue())
                .as("sum, exact")
                .isEqualByComparingTo("5.000000001");
        JsonNode monthly = usage(u, "tokens", "&group=month");
        assertThat(monthly.get("points").get(0).get("start").asString())
                .isEqualTo(today().withDayOfMonth(1).toString());
        assertThat(usage(u, "tokens", "&group=none").get("points").size()).isZero();
    }

    @Test
    void idsAndPropertiesAreStoredExactlyAsSentWhateverTheirCharacters() {
        User u = user("ingest-characters");
        String service = serviceKey();
        String id = "tab\there back\\slash new\nline ret\r \"quoted\" \u00e9\u20ac\ud83d\ude00";
        Map<String, Object> properties = new java.util.LinkedHashMap<>();
        properties.put("say", "\"hi\"\t\\ \n");
        properties.put("n", 12.5);
        properties.put("big", new java.math.BigInteger("123456789012345678901234567890"));
        properties.put("ok", true);
        properties.put("k\"ey", "\u00fc");
        JsonNode answer = sent(service, List.of(event(id, u.org(), "api_calls", "properties", properties)));
        assertThat(statuses(answer)).containsExactly("accepted");
        assertThat(answer.get("results").get(0).get("id").asString()).isEqualTo(id);
        var row = db.sql("select event_id, properties::text as p from usage_events where org_id = :org")
                .param("org", u.org())
                .query()
                .singleRow();
        assertThat(row.get("event_id")).isEqualTo(id);
        JsonNode stored = dev.gatehouse.support.Http.JSON.readTree((String) row.get("p"));
        assertThat(stored.get("say").asString()).isEqualTo("\"hi\"\t\\ \n");
        assertThat(stored.get("n").decimalValue()).isEqualByComparingTo("12.5");
        assertThat(stored.get("big").bigIntegerValue())
                .isEqualTo(new java.math.BigInteger("123456789012345678901234567890"));
        assertThat(stored.get("ok").asBoolean()).isTrue();
        assertThat(stored.get("k\"ey").asString()).isEqualTo("\u00fc");
        // The same id again is a duplicate: the batch's COPY is refused by the key and the insert skips it.
        assertThat(statuses(
                        sent(service, List.of(event(id, u.org(), "api_calls"), event("fresh", u.org(), "api_calls")))))
                .containsExactly("duplicate", "accepted");
        assertThat(usage(u, "api_calls", "").get("total").asInt()).isEqualTo(2);
    }

    @Test
    void valuesAndTimestampsAreStoredExactlyAsSent() {
        User u = user("ingest-exact");
        String service = serviceKey();
        java.time.Instant at = clock.instant()
                .truncatedTo(java.time.temporal.ChronoUnit.SECONDS)
                .minusSeconds(3600)
                .plusNanos(123_456_000);
        List<String> values = List.of("0.000000001", "123456789012345678.123456789", "1.50", "7", "0");
        List<Map<String, Object>> batch = new java.util.ArrayList<>();
        for (int i = 0; i < values.size(); i++) {
            batch.add(event(
                    "x-" + i,
                    u.org(),
                    "tokens",
                    "value",
                    new java.math.BigDecimal(values.get(i)),
                    "timestamp",
                    at.plusNanos(i * 1_000L).toString()));
        }
        assertThat(statuses(sent(service, batch))).containsOnly("accepted");
        var rows = db.sql("""
                        select value::text as v, occurred_at from usage_events where org_id = :org order by event_id
                        """)
                .param("org", u.org())
                .query((rs, i) ->
                        Map.entry(rs.getString("v"), rs.getObject("occurred_at", java.time.OffsetDateTime.class)))
                .list();
        assertThat(rows).extracting(Map.Entry::getKey).containsExactlyElementsOf(values);
        for (int i = 0; i < rows.size(); i++) {
            assertThat(rows.get(i).getValue().toInstant()).isEqualTo(at.plusNanos(i * 1_000L));
        }
    }

    @Test
    void oneEventCanBeSentWithoutABatch() {
        User u = user("ingest-single");
        Http.Response r = http.post(EVENTS)
                .bearer(serviceKey())
                .json("id", "s-1", "org", u.org().toString(), "meter", "api_calls")
                .send();
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertThat(statuses(r.json())).containsExactly("accepted");
    }

    @Test
    void aBodyThatIsNotABatchIsRefusedWhole() {
        User u = user("ingest-bad");
        String service = serviceKey();
        List<Map<String, Object>> tooMany = IntStream.range(0, 1001)
                .mapToObj(i -> event("x-" + i, u.org(), "api_calls"))
                .toList();
        assertProblem(send(http, service, tooMany), 400, "validation_failed");
        assertProblem(send(http, service, List.of()), 400, "validation_failed");
        assertProblem(
                http.post(EVENTS)
                        .bearer(service)
                        .json("events", List.of(event("x", u.org(), "api_calls")), "id", "y")
                        .send(),
                400,
                "validation_failed");
        assertProblem(http.post(EVENTS).bearer(service).body("{}").send(), 400, "validation_failed");
        assertProblem(
                http.post(EVENTS)
                        .bearer(service)
                        .body("{\"events\":[{\"id\":1}]}")
                        .send(),
                400,
                "validation_failed");
        assertProblem(
                http.post(EVENTS)
                        .bearer(service)
                        .body("{\"events\":[{\"id\":\"z\",\"surprise\":true}]}")
                        .send(),
                400,
                "validation_failed");
        assertThat(db.sql("select count(*) from usage_events where org_id = :org")
                        .param("org", u.org())
                        .query(Long.class)
                        .single())
                .isZero();
    }

    @Test
    void onlyTheProductsBackendSendsUsage() {
        User u = user("ingest-who");
        List<Map<String, Object>> one = List.of(event("w-1", u.org(), "api_calls"));
        assertProblem(http.post(EVENTS).json("events", one).send(), 401, "unauthenticated");
        assertProblem(send(http, u.token(), one), 403, "forbidden");
        assertProblem(send(http, admin(), one), 403, "forbidden");
    }
}
