package dev.gatehouse.onboarding;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatehouse.platform.AdvisoryLock;
import dev.gatehouse.platform.Caller;
import dev.gatehouse.platform.PlatformRole;
import dev.gatehouse.support.Http;
import dev.gatehouse.support.Poll;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.dao.DataAccessException;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;

/**
 * Version migration: users in every state before (untouched, started, with a skip, complete, with only a step the
 * new version drops, snoozed) and after, the counts, the row versions, the audit entry, and one transaction.
 */
class VersionMigrationTest extends OnboardingEndToEndTest {

    /**
     * The old and the new checklist. Keys of each test's own, so that only its users have stored states of these
     * steps (installing the old version drops every other user's states) and the migration's counts are exact.
     */
    List<Map<String, Object>> oldSteps;

    List<Map<String, Object>> newSteps;

    String p;

    @BeforeEach
    void checklists() {
        p = "m" + UUID.randomUUID().toString().substring(0, 8).replaceAll("[^a-z]", "x") + "_";
        oldSteps = List.of(
                step(p + "a", 25, true), step(p + "b", 25, false), step(p + "c", 25, false), step(p + "d", 25, true));
        newSteps = List.of(
                step(p + "a", 10, true), step(p + "b", 20, false), step(p + "c", 30, false), step(p + "e", 40, true));
    }

    @Autowired
    ChecklistVersions versions;

    @Autowired
    TransactionTemplate tx;

    record Users(User fresh, User started, User skipper, User complete, User dropped, User snoozer) {}

    /** Installs the old version and puts users in every state. */
    Users usersInEveryState() {
        int oldVersion = install(oldSteps);
        Users u = new Users(
                user("m-fresh"),
                user("m-started"),
                user("m-skipper"),
                user("m-complete"),
                user("m-dropped"),
                user("m-snoozer"));
        settle(u.started(), p + "a", "done");
        settle(u.skipper(), p + "a", "done");
        settle(u.skipper(), p + "b", "skipped");
        for (String key : List.of(p + "a", p + "b", p + "d")) settle(u.complete(), key, "done");
        settle(u.complete(), p + "c", "skipped");
        settle(u.dropped(), p + "d", "done");
        assertThat(http.post(ONBOARDING + "/snooze")
                        .bearer(u.snoozer().token())
                        .send()
                        .status())
                .isEqualTo(200);

        assertProgress(u.fresh(), oldVersion, 0, false);
        assertProgress(u.started(), oldVersion, 25, false);
        assertProgress(u.skipper(), oldVersion, 50, false);
        assertProgress(u.complete(), oldVersion, 100, true);
        assertProgress(u.dropped(), oldVersion, 25, false);
        assertProgress(u.snoozer(), oldVersion, 0, false);
        return u;
    }

    @Test
    void migrationKeepsDoneStepsResetsSkippedOnesAndRecomputesProgress() {
        Users u = usersInEveryState();
        int old = checklist(u.fresh()).json().get("version").asInt();
        String completedAt = stepOf(u.complete(), p + "a").get("completed_at").asString();
        String admin = admin();
        int next = draft(admin, newSteps);
        assertThat(checklist(u.started()).json().get("version").asInt())
                .as("a draft changes nothing")
                .isEqualTo(old);

        Http.Response migrated = migrate(admin, next);
        assertThat(migrated.status()).as(migrated.toString()).isEqualTo(200);
        JsonNode result = migrated.json();
        assertThat(result.get("from_version").asInt()).isEqualTo(old);
        assertThat(result.get("to_version").asInt()).isEqualTo(next);
        assertThat(result.get("users").asInt()).isEqualTo(4);
        assertThat(result.get("done_kept").asInt()).isEqualTo(4); // started a, skipper a, complete a and b
        assertThat(result.get("skipped_reset").asInt()).isEqualTo(2); // skipper b, complete c
        assertThat(result.get("todo_kept").asInt()).isZero();
        assertThat(result.get("dropped").asInt()).isEqualTo(2); // complete d, dropped d

        // Every user, every state, after: the new steps and weights.
        JsonNode fresh = assertProgress(u.fresh(), next, 0, false);
        assertThat(keysIn(fresh)).containsExactly(p + "a", p + "b", p + "c", p + "e");
        fresh.get("steps").forEach(s -> assertThat(s.get("row_version").asInt()).isOne());
        assertProgress(u.started(), next, 10, false);
        assertProgress(u.skipper(), next, 10, false);
        assertProgress(u.complete(), next, 30, false);
        assertProgress(u.dropped(), next, 0, false);
        assertThat(checklist(u.snoozer()).json().has("snoozed_until"))
                .as("snoozes are kept")
                .isTrue();

        JsonNode kept = stepOf(u.complete(), p + "a");
        assertThat(kept.get("status").asString()).isEqualTo("done");
        assertThat(kept.get("row_version").asInt())
                .as("a kept state is unchanged")
                .isEqualTo(2);
        assertThat(kept.get("completed_at").asString()).isEqualTo(completedAt);
        JsonNode reset = stepOf(u.skipper(), p + "b");
        assertThat(reset.get("status").asString()).isEqualTo("todo");
        assertThat(reset.get("row_version").asInt())
                .as("a reset moves the row version on")
                .isEqualTo(3);
        assertThat(stepOf(u.complete(), p + "e").get("status").asString()).isEqualTo("todo");
        assertThat(db.sql("select count(*) from onboarding_progress where user_id = :user")
                        .param("user", u.dropped().id())
                        .query(Integer.class)
                        .single())
                .as("the dropped step's state is gone")
                .isZero();

        // A client holding the pre-migration row version of a reset step is told it is stale.
        Http.Response stale = change(u.skipper(), p + "b", "done", 2);
        assertProblem(stale, 409, "stale_row_version");
        assertThat(stale.json().get("current").get("status").asString()).isEqualTo("todo");
        assertThat(change(u.skipper(), p + "b", "done", 3).status()).isEqualTo(200);
        // The new required step completes the checklist of the user who had finished the old one.
        settle(u.complete(), p + "e", "done");
        assertProgress(u.complete(), next, 70, true);

        JsonNode oldVersion =
                http.get(VERSIONS + "/" + old).bearer(admin).send().json();
        assertThat(oldVersion.get("state").asString()).isEqualTo("retired");
        assertThat(oldVersion.has("retired_at")).isTrue();
        JsonNode newVersion =
                http.get(VERSIONS + "/" + next).bearer(admin).send().json();
        assertThat(newVersion.get("state").asString()).isEqualTo("active");
        assertThat(newVersion.has("activated_at")).isTrue();

        String details = db.sql("""
                        select details::text from audit_events
                        where action = 'onboarding.version_migrated' and target_id = :version
                        """)
                .param("version", String.valueOf(next))
                .query(String.class)
                .single();
        assertThat(details).contains("\"from_version\": " + old, "\"users\": 4", "\"dropped\": 2");

        // Migrating again carries the todo states over as they are.
        int third = draft(admin, newSteps);
        JsonNode again = migrate(admin, third).json();
        assertThat(again.get("users").asInt()).isEqualTo(3);
        assertThat(again.get("done_kept").asInt()).isEqualTo(6); // started a, skipper a b, complete a b e
        assertThat(again.get("todo_kept").asInt()).isEqualTo(1); // complete c
        assertThat(again.get("skipped_reset").asInt()).isZero();
        assertProgress(u.skipper(), third, 30, false);
    }

    @Test
    void aMigrationThatFailsChangesNothing() {
        Users u = usersInEveryState();
        int old = checklist(u.fresh()).json().get("version").asInt();
        int next = draft(admin(), newSteps);
        List<Map<String, Object>> before = progressRows();
        // A real failure in the migration's last statement, from the database itself.
        db.sql("""
                create function onboarding_test_refuse() returns trigger language plpgsql as $$
                begin raise exception 'refused by the test'; end $$
                """).update();
        db.sql("create trigger onboarding_test_refuse before update on onboarding_versions for each row"
                        + " when (new.state = 'active') execute function onboarding_test_refuse()")
                .update();
        try {
            Caller admin = new Caller(UUID.randomUUID(), null, Set.of(PlatformRole.SUPERADMIN), null);
            assertThatThrownBy(() -> versions.migrate(admin, next))
                    .isInstanceOf(DataAccessException.class)
                    .hasMessageContaining("refused by the test");
        } finally {
            db.sql("drop trigger onboarding_test_refuse on onboarding_versions").update();
            db.sql("drop function onboarding_test_refuse()").update();
        }
        assertThat(progressRows()).isEqualTo(before);
        assertProgress(u.skipper(), old, 50, false);
        assertProgress(u.complete(), old, 100, true);
        String admin = admin();
        assertThat(http.get(VERSIONS + "/" + next)
                        .bearer(admin)
                        .send()
                        .json()
                        .get("state")
                        .asString())
                .isEqualTo("draft");
        assertThat(db.sql("select count(*) from audit_events where action = 'onboarding.version_migrated'"
                                + " and target_id = :version")
                        .param("version", String.valueOf(next))
                        .query(Integer.class)
                        .single())
                .isZero();
        // And it can be run again once the cause is gone.
        assertThat(migrate(admin, next).status()).isEqualTo(200);
    }

    @Test
    void aMigrationWaitsForReadsAndChangesInFlight() throws Exception {
        Users u = usersInEveryState();
        String admin = admin();
        int next = draft(admin, newSteps);
        CountDownLatch holding = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        // Threads of its own: the common pool may have a single thread on a small machine.
        try (ExecutorService threads = Executors.newFixedThreadPool(2)) {
            // An in-flight checklist read or change: a transaction holding the version lock shared.
            Future<?> reader = threads.submit(() -> tx.executeWithoutResult(status -> {
                AdvisoryLock.ONBOARDING_VERSION.acquireShared(db);
                holding.countDown();
                try {
                    assertThat(release.await(30, TimeUnit.SECONDS)).isTrue();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }));
            assertThat(holding.await(10, TimeUnit.SECONDS)).isTrue();
            Future<Http.Response> migration = threads.submit(() -> migrate(admin, next));
            Poll.untilTrue(
                    Duration.ofSeconds(10),
                    "the migration to wait for the version lock",
                    () -> db.sql("""
                            select count(*) from pg_locks where locktype = 'advisory' and classid = 4 and not granted
                            """).query(Integer.class).single() == 1);
            assertThat(migration).isNotDone();
            // (A read now would queue behind the waiting migration, as PostgreSQL queues lock requests.)
            release.countDown();
            reader.get(10, TimeUnit.SECONDS);
            assertThat(migration.get(30, TimeUnit.SECONDS).status()).isEqualTo(200);
        }
        assertProgress(u.skipper(), next, 10, false);
    }

    @Test
    void onlyADraftCanBeMigratedToOrDeleted() {
        String admin = admin();
        int active = install(newSteps);
        int draft = draft(admin, newSteps);
        assertProblem(migrate(admin, active), 409, "version_not_draft");
        assertProblem(migrate(admin, 1), 409, "version_not_draft"); // the seeded version, retired by now
        assertProblem(migrate(admin, 999_999), 404, "not_found");
        assertProblem(http.delete(VERSIONS + "/" + active).bearer(admin).send(), 409, "version_not_draft");

        assertThat(http.delete(VERSIONS + "/" + draft).bearer(admin).send().status())
                .isEqualTo(204);
        assertProblem(http.get(VERSIONS + "/" + draft).bearer(admin).send(), 404, "not_found");
        assertProblem(migrate(admin, draft), 404, "not_found");
        assertThat(db.sql("select count(*) from audit_events where action = 'onboarding.version_deleted'"
                                + " and target_id = :version")
                        .param("version", String.valueOf(draft))
                        .query(Integer.class)
                        .single())
                .isOne();
        // Numbers are never reused.
        assertThat(draft(admin, newSteps)).isGreaterThan(draft);
    }

    @Test
    void versionsArePagedNewestFirst() {
        String admin = admin();
        int a = draft(admin, newSteps);
        int b = draft(admin, newSteps);
        JsonNode first = http.get(VERSIONS + "?limit=1").bearer(admin).send().json();
        assertThat(first.get("data").get(0).get("version").asInt()).isEqualTo(b);
        assertThat(first.get("data").get(0).get("steps").size()).isEqualTo(4);
        Http.Response second = http.get(
                        VERSIONS + "?limit=1&cursor=" + first.get("next_cursor").asString())
                .bearer(admin)
                .send();
        assertThat(second.json().get("data").get(0).get("version").asInt()).isEqualTo(a);
        assertProblem(http.get(VERSIONS + "?cursor=bm9wZQ").bearer(admin).send(), 400, "invalid_cursor");
    }

    @Test
    void aNewVersionIsValidated() {
        String admin = admin();
        Map<String, List<Map<String, Object>>> refused = Map.of(
                "steps[1].key", List.of(step("twice", 1, true), step("twice", 1, true)),
                "steps[0].weight", List.of(step("light", 0, true)),
                "steps[0].markets", List.of(with(step("dup", 1, true), "markets", List.of("FR", "fr"))),
                "steps[0].gates[0]", List.of(with(step("gated", 1, true), "gates", List.of("Not A Gate"))),
                "steps", List.of());
        refused.forEach((field, steps) -> {
            Http.Response r =
                    http.post(VERSIONS).bearer(admin).json("steps", steps).send();
            assertProblem(r, 400, "validation_failed");
            assertThat(r.json().get("errors").get(0).get("field").asString()).isEqualTo(field);
        });
        Http.Response created = http.post(VERSIONS)
                .bearer(admin)
                .json("steps", List.of(with(step("lower", 1, false), "markets", List.of("fr"))))
                .send();
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        assertThat(created.header("Location"))
                .endsWith("/" + created.json().get("version").asInt());
        assertThat(created.json().get("state").asString()).isEqualTo("draft");
        assertThat(created.json().get("steps").get(0).get("markets").get(0).asString())
                .isEqualTo("FR");
    }

    private JsonNode assertProgress(User u, int version, int percent, boolean complete) {
        JsonNode c = checklist(u).json();
        assertThat(c.get("version").asInt()).as(u.email()).isEqualTo(version);
        assertThat(c.get("progress_percent").asInt()).as(u.email()).isEqualTo(percent);
        assertThat(c.get("complete").asBoolean()).as(u.email()).isEqualTo(complete);
        return c;
    }

    private List<Map<String, Object>> progressRows() {
        return db.sql("select * from onboarding_progress order by user_id, step_key")
                .query()
                .listOfRows();
    }
}
