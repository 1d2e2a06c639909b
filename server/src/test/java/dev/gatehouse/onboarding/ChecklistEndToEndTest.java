package dev.gatehouse.onboarding;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.support.Http;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** A user's checklist over HTTP: weighted progress, the state machine, filters, optimistic locking, snoozes. */
class ChecklistEndToEndTest extends OnboardingEndToEndTest {

    @Test
    void theDefaultChecklistIsSeededAsVersionOne() {
        Http.Response r = http.get(VERSIONS + "/1").bearer(admin()).send();
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        JsonNode steps = r.json().get("steps");
        assertThat(steps.valueStream().map(s -> s.get("key").asString()))
                .containsExactly(
                        "complete_profile",
                        "create_first_project",
                        "connect_payments",
                        "invite_teammate",
                        "enable_2fa",
                        "add_vat_number");
        assertThat(steps.valueStream().mapToInt(s -> s.get("weight").asInt()).sum())
                .isEqualTo(100);
        JsonNode payments = steps.get(2);
        assertThat(payments.get("required").asBoolean()).isTrue();
        assertThat(payments.get("gates").valueStream().map(JsonNode::asString)).containsExactly("publish", "checkout");
        assertThat(steps.get(3).get("roles").valueStream().map(JsonNode::asString))
                .containsExactly("owner", "admin");
        assertThat(steps.get(5).get("markets").valueStream().map(JsonNode::asString))
                .hasSize(27)
                .contains("FR", "DE");
        assertThat(r.json().has("created_by")).isFalse();
    }

    @Test
    void doneAndSkippedStepsMoveTheWeightedProgress() {
        int version = install(List.of(step("a", 20, true), step("b", 30, false), step("c", 50, true)));
        User u = user("progress");
        JsonNode fresh = checklist(u).json();
        assertThat(fresh.get("version").asInt()).isEqualTo(version);
        assertThat(fresh.get("progress_percent").asInt()).isZero();
        assertThat(fresh.get("complete").asBoolean()).isFalse();
        assertThat(fresh.has("snoozed_until")).isFalse();
        assertThat(keysIn(fresh)).containsExactly("a", "b", "c");
        for (JsonNode s : fresh.get("steps")) {
            assertThat(s.get("status").asString()).isEqualTo("todo");
            assertThat(s.get("row_version").asInt()).isOne();
            assertThat(s.has("updated_at")).isFalse();
        }

        JsonNode a = settle(u, "a", "done");
        assertThat(a.get("status").asString()).isEqualTo("done");
        assertThat(a.get("row_version").asInt()).isEqualTo(2);
        assertThat(Instant.parse(a.get("completed_at").asString())).isCloseTo(Instant.now(), within());
        assertThat(checklist(u).json().get("progress_percent").asInt()).isEqualTo(20);

        JsonNode b = settle(u, "b", "skipped");
        assertThat(b.has("completed_at")).isFalse();
        assertThat(checklist(u).json().get("progress_percent").asInt()).isEqualTo(50);

        settle(u, "c", "done");
        JsonNode all = checklist(u).json();
        assertThat(all.get("progress_percent").asInt()).isEqualTo(100);
        assertThat(all.get("complete").asBoolean()).isTrue();

        // Doing a step one skipped is allowed, and keeps the progress at 100.
        assertThat(settle(u, "b", "done").get("row_version").asInt()).isEqualTo(3);
        assertThat(checklist(u).json().get("progress_percent").asInt()).isEqualTo(100);
        // Another user's checklist is untouched.
        assertThat(checklist(user("other")).json().get("progress_percent").asInt())
                .isZero();
    }

    @Test
    void movesTheStateMachineDoesNotAllowAre422() {
        install(List.of(step("req", 50, true), step("opt", 50, false)));
        User u = user("transitions");
        Http.Response skipRequired = change(u, "req", "skipped", 1);
        assertProblem(skipRequired, 422, "required_step");
        assertProblem(change(u, "req", "todo", 1), 422, "invalid_transition");
        assertThat(stepOf(u, "req").get("row_version").asInt())
                .as("a refused change changes nothing")
                .isOne();

        settle(u, "req", "done");
        for (String target : List.of("done", "skipped", "todo")) {
            Http.Response r = change(u, "req", target, 2);
            assertThat(r.status()).as(r.toString()).isEqualTo(422);
            assertThat(r.json().get("from").asString()).isEqualTo("done");
        }
        settle(u, "opt", "skipped");
        Http.Response unskip = change(u, "opt", "todo", 2);
        assertProblem(unskip, 422, "invalid_transition");
        assertThat(unskip.json().get("detail").asString()).contains("can become done");
        assertProblem(change(u, "nope", "done", 1), 404, "not_found");
    }

    @Test
    void aStaleRowVersionIs409WithTheCurrentStateBeforeTheMoveIsJudged() {
        install(List.of(step("a", 50, true), step("b", 50, false)));
        User u = user("stale");
        assertThat(change(u, "a", "done", 1).status()).isEqualTo(200);

        Http.Response stale = change(u, "a", "done", 1);
        assertProblem(stale, 409, "stale_row_version");
        JsonNode current = stale.json().get("current");
        assertThat(current.get("key").asString()).isEqualTo("a");
        assertThat(current.get("status").asString()).isEqualTo("done");
        assertThat(current.get("row_version").asInt()).isEqualTo(2);
        // A row_version from the future is as stale as one from the past.
        assertProblem(change(u, "b", "skipped", 7), 409, "stale_row_version");
        assertThat(stepOf(u, "b").get("status").asString()).isEqualTo("todo");
    }

    @Test
    void tenConcurrentChangesWithTheSameRowVersionLetExactlyOneThrough() throws Exception {
        install(List.of(step("fresh", 50, true), step("touched", 50, false)));
        User u = user("race");
        // A step without a stored row (its first change writes it), and one with a row.
        assertRace(u, "fresh", "done", 1);
        settle(u, "touched", "skipped");
        assertRace(u, "touched", "done", 2);
    }

    private void assertRace(User u, String key, String status, int rowVersion) throws Exception {
        int threads = 10;
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Http.Response>> answers = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
            for (int i = 0; i < threads; i++) {
                Callable<Http.Response> patch = () -> {
                    start.await();
                    return change(u, key, status, rowVersion);
                };
                answers.add(pool.submit(patch));
            }
            start.countDown();
            List<Http.Response> responses = new ArrayList<>();
            for (Future<Http.Response> f : answers) responses.add(f.get());
            assertThat(responses.stream().filter(r -> r.status() == 200)).hasSize(1);
            List<Http.Response> conflicts =
                    responses.stream().filter(r -> r.status() == 409).toList();
            assertThat(conflicts).as(responses.toString()).hasSize(threads - 1);
            for (Http.Response conflict : conflicts) {
                assertThat(conflict.code()).isEqualTo("stale_row_version");
                JsonNode current = conflict.json().get("current");
                assertThat(current.get("status").asString()).isEqualTo(status);
                assertThat(current.get("row_version").asInt()).isEqualTo(rowVersion + 1);
            }
        }
        JsonNode stored = stepOf(u, key);
        assertThat(stored.get("status").asString()).isEqualTo(status);
        assertThat(stored.get("row_version").asInt()).isEqualTo(rowVersion + 1);
    }

    @Test
    void marketAndRoleChooseTheStepsAndTheirShareOfProgress() {
        install(List.of(
                step("everyone", 50, true),
                with(step("eu_vat", 25, false), "markets", List.of("FR", "be")),
                with(step("invite", 25, false), "roles", List.of("owner"))));
        User u = user("audience");
        assertThat(keysIn(checklist(u).json())).containsExactly("everyone");
        assertThat(keysIn(checklist(u, "?market=fr").json())).containsExactly("everyone", "eu_vat");
        assertThat(keysIn(checklist(u, "?market=BE&role=owner").json()))
                .containsExactly("everyone", "eu_vat", "invite");
        assertThat(keysIn(checklist(u, "?market=US&role=member").json())).containsExactly("everyone");

        settle(u, "everyone", "done");
        assertThat(checklist(u).json().get("progress_percent").asInt()).isEqualTo(100);
        assertThat(checklist(u, "?market=FR").json().get("progress_percent").asInt())
                .isEqualTo(66);
        assertThat(checklist(u, "?market=FR&role=owner")
                        .json()
                        .get("progress_percent")
                        .asInt())
                .isEqualTo(50);
    }

    @Test
    void snoozesHideTheNudgeAtMostThreeTimesInADay() {
        install(List.of(step("a", 1, true)));
        User u = user("snooze");
        Instant first = Instant.now();
        for (int remaining = 2; remaining >= 0; remaining--) {
            Http.Response r =
                    http.post(ONBOARDING + "/snooze").bearer(u.token()).send();
            assertThat(r.status()).as(r.toString()).isEqualTo(200);
            assertThat(r.json().get("remaining").asInt()).isEqualTo(remaining);
            assertThat(Instant.parse(r.json().get("snoozed_until").asString()))
                    .isCloseTo(Instant.now().plus(Duration.ofHours(4)), within());
        }
        assertThat(checklist(u).json().has("snoozed_until")).isTrue();

        Http.Response fourth =
                http.post(ONBOARDING + "/snooze").bearer(u.token()).send();
        assertProblem(fourth, 429, "snooze_limit_reached");
        long retryAfter = Long.parseLong(fourth.header("Retry-After"));
        assertThat(retryAfter)
                .isBetween(Duration.ofHours(23).toSeconds(), Duration.ofDays(1).toSeconds());
        assertThat(Instant.parse(fourth.json().get("retry_at").asString()))
                .isCloseTo(first.plus(Duration.ofDays(1)), within());

        clock.advance(Duration.ofHours(5));
        u = signInAgain(u);
        assertThat(checklist(u).json().has("snoozed_until"))
                .as("the snooze ran out")
                .isFalse();
        assertProblem(http.post(ONBOARDING + "/snooze").bearer(u.token()).send(), 429, "snooze_limit_reached");

        clock.advance(Duration.ofHours(19).plusMinutes(1));
        u = signInAgain(u);
        Http.Response again =
                http.post(ONBOARDING + "/snooze").bearer(u.token()).send();
        assertThat(again.status())
                .as("a day after the first three, they left the window")
                .isEqualTo(200);
        assertThat(again.json().get("remaining").asInt()).isEqualTo(2);
    }

    @Test
    void concurrentSnoozesCannotSlipPastTheLimit() throws Exception {
        User u = user("snooze-race");
        int threads = 8;
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Integer>> statuses = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
            for (int i = 0; i < threads; i++) {
                statuses.add(pool.submit(() -> {
                    start.await();
                    return http.post(ONBOARDING + "/snooze")
                            .bearer(u.token())
                            .send()
                            .status();
                }));
            }
            start.countDown();
            List<Integer> got = new ArrayList<>();
            for (Future<Integer> f : statuses) got.add(f.get());
            assertThat(got).filteredOn(s -> s == 200).hasSize(3);
            assertThat(got).filteredOn(s -> s == 429).hasSize(threads - 3);
        }
        assertThat(db.sql("select count(*) from onboarding_snoozes where user_id = :user")
                        .param("user", u.id())
                        .query(Integer.class)
                        .single())
                .isEqualTo(3);
    }

    @Test
    void badInputIs400NamingTheField() {
        User u = user("bad-input");
        Map<String, String> bodies = Map.of(
                "{\"status\":\"finished\",\"row_version\":1}", "status",
                "{\"status\":\"done\",\"row_version\":0}", "row_version",
                "{\"status\":\"done\"}", "row_version",
                "{\"row_version\":1}", "status");
        bodies.forEach((body, field) -> {
            Http.Response r = http.patch(ONBOARDING + "/steps/a")
                    .bearer(u.token())
                    .body(body)
                    .send();
            assertProblem(r, 400, "validation_failed");
            assertThat(r.json().get("errors").get(0).get("field").asString()).isEqualTo(field);
        });
        for (String query : List.of("?market=FRA", "?market=F1", "?role=Owner", "?role=a-b")) {
            assertThat(http.get(ONBOARDING + query).bearer(u.token()).send().status())
                    .as(query)
                    .isEqualTo(400);
        }
    }

    private static org.assertj.core.data.TemporalUnitOffset within() {
        return org.assertj.core.api.Assertions.within(1, java.time.temporal.ChronoUnit.MINUTES);
    }
}
