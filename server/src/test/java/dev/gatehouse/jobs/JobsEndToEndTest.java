package dev.gatehouse.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatehouse.platform.RequestIds;
import dev.gatehouse.support.EndToEndTest;
import dev.gatehouse.support.Http;
import dev.gatehouse.support.Poll;
import dev.gatehouse.support.TestBearerTokens;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.health.contributor.Status;
import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;

/** The jobs module through its public API, its routes and a real PostgreSQL-backed db-scheduler. */
class JobsEndToEndTest extends EndToEndTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    @Autowired
    private Jobs jobs;

    @Autowired
    private PlatformTransactionManager transactions;

    @Autowired
    private JdbcClient db;

    @Autowired
    private ScriptedJobHandler scripted;

    @Autowired
    private JobRunPurge purge;

    @Autowired
    private MeterRegistry meters;

    @Autowired
    private ApplicationContext context;

    @Test
    void enqueuedJobRunsOnceTheTransactionCommits() {
        String key = UUID.randomUUID().toString();
        UUID id = new TransactionTemplate(transactions)
                .execute(s -> jobs.enqueue(ScriptedJobHandler.TYPE, ScriptedJobHandler.payload(key, 0), null));

        awaitState(id, "succeeded");
        assertThat(scripted.attempts(key)).hasSize(1);
        assertThat(row(id).attempts()).isEqualTo(1);
        assertThat(pendingExecutions(id)).isZero();
    }

    @Test
    void rolledBackTransactionLeavesNoJob() {
        String key = UUID.randomUUID().toString();
        UUID[] id = new UUID[1];
        new TransactionTemplate(transactions).executeWithoutResult(s -> {
            id[0] = jobs.enqueue(ScriptedJobHandler.TYPE, ScriptedJobHandler.payload(key, 0), null);
            assertThat(pendingExecutions(id[0]))
                    .as("visible inside the transaction")
                    .isEqualTo(1);
            s.setRollbackOnly();
        });

        assertThat(db.sql("select count(*) from job_runs where id = :id")
                        .param("id", id[0])
                        .query(Long.class)
                        .single())
                .isZero();
        assertThat(pendingExecutions(id[0])).isZero();
        assertThat(http.get("/api/v1/jobs/" + id[0])
                        .bearer(TestBearerTokens.ADMIN)
                        .send()
                        .status())
                .isEqualTo(404);
    }

    @Test
    void failingJobRetriesWithGrowingBackoffThenIsDeadLettered() {
        String key = UUID.randomUUID().toString();
        double deadBefore = counter("gatehouse.jobs.dead");
        UUID id = jobs.enqueue(ScriptedJobHandler.TYPE, ScriptedJobHandler.payload(key, 99), null);

        awaitState(id, "dead");
        JobRun run = row(id);
        assertThat(run.attempts()).isEqualTo(3);
        assertThat(run.maxAttempts()).isEqualTo(3);
        assertThat(run.lastError()).contains("scripted failure for " + key);
        assertThat(run.nextAttemptAt()).isNull();
        List<Instant> attempts = scripted.attempts(key);
        assertThat(attempts).hasSize(3);
        assertThat(Duration.between(attempts.get(0), attempts.get(1)))
                .isGreaterThanOrEqualTo(ScriptedJobHandler.POLICY.delayAfter(1));
        assertThat(Duration.between(attempts.get(1), attempts.get(2)))
                .isGreaterThanOrEqualTo(ScriptedJobHandler.POLICY.delayAfter(2));
        assertThat(scripted.deadLettered(key))
                .as("the owner's dead-letter callback ran")
                .isTrue();
        assertThat(pendingExecutions(id)).isZero();
        assertThat(counter("gatehouse.jobs.dead")).isGreaterThan(deadBefore);

        JsonNode page = http.get("/api/v1/admin/jobs?state=dead&type=test.scripted&limit=200")
                .bearer(TestBearerTokens.ADMIN)
                .send()
                .json();
        assertThat(ids(page)).contains(id.toString());
    }

    @Test
    void permanentFailureGoesStraightToTheDeadLetters() {
        String key = UUID.randomUUID().toString();
        UUID id = jobs.enqueue(ScriptedJobHandler.TYPE, ScriptedJobHandler.payload(key, -1), null);

        awaitState(id, "dead");
        assertThat(row(id).attempts()).isEqualTo(1);
        assertThat(row(id).lastError()).contains("scripted permanent failure");
        assertThat(scripted.deadLettered(key)).isTrue();
    }

    @Test
    void jobCarriesTheRequestIdOfTheRequestThatEnqueuedIt() {
        String key = UUID.randomUUID().toString();
        MDC.put(RequestIds.MDC_KEY, "req-" + key);
        UUID id;
        try {
            id = jobs.enqueue(ScriptedJobHandler.TYPE, ScriptedJobHandler.payload(key, 0), null);
        } finally {
            MDC.remove(RequestIds.MDC_KEY);
        }

        awaitState(id, "succeeded");
        assertThat(row(id).requestId()).isEqualTo("req-" + key);
        assertThat(scripted.requestIdSeen(key))
                .as("in the handler's log context")
                .isEqualTo("req-" + key);
    }

    @Test
    void jobThatFailsTwiceSucceedsOnItsThirdAttempt() {
        String key = UUID.randomUUID().toString();
        UUID id = jobs.enqueue(ScriptedJobHandler.TYPE, ScriptedJobHandler.payload(key, 2), null);

        awaitState(id, "succeeded");
        assertThat(row(id).attempts()).isEqualTo(3);
        assertThat(scripted.attempts(key)).hasSize(3);
        assertThat(scripted.deadLettered(key)).isFalse();
    }

    @Test
    void adminRetryRunsADeadJobAgain() {
        String key = UUID.randomUUID().toString();
        UUID id = jobs.enqueue(ScriptedJobHandler.TYPE, ScriptedJobHandler.payload(key, 99), null);
        awaitState(id, "dead");
        scripted.heal(key);

        String path = "/api/v1/admin/jobs/" + id + "/retry";
        assertThat(http.post(path)
                        .bearer(TestBearerTokens.user(UUID.randomUUID()))
                        .send()
                        .status())
                .isEqualTo(403);
        Http.Response retried = http.post(path).bearer(TestBearerTokens.ADMIN).send();
        assertThat(retried.status()).isEqualTo(200);
        assertThat(retried.json().get("state").asString()).isEqualTo("queued");
        assertThat(retried.json().get("attempts").asInt()).isZero();

        awaitState(id, "succeeded");
        assertThat(scripted.attempts(key)).hasSize(4);

        Http.Response again =
                http.post(path).bearer(TestBearerTokens.SUPERADMIN).send();
        assertThat(again.status()).isEqualTo(409);
        assertThat(again.code()).isEqualTo("job_not_dead");
        Http.Response unknown = http.post("/api/v1/admin/jobs/" + UUID.randomUUID() + "/retry")
                .bearer(TestBearerTokens.ADMIN)
                .send();
        assertThat(unknown.status()).isEqualTo(404);
    }

    @Test
    void jobStatusIsVisibleToItsOwnerAndToAdminsOnly() {
        UUID owner = UUID.randomUUID();
        String key = UUID.randomUUID().toString();
        UUID id = jobs.enqueue(ScriptedJobHandler.TYPE, ScriptedJobHandler.payload(key, 1), owner);
        awaitState(id, "succeeded");

        Http.Response mine = http.get("/api/v1/jobs/" + id)
                .bearer(TestBearerTokens.user(owner))
                .send();
        assertThat(mine.status()).isEqualTo(200);
        JsonNode job = mine.json();
        assertThat(job.get("id").asString()).isEqualTo(id.toString());
        assertThat(job.get("type").asString()).isEqualTo(ScriptedJobHandler.TYPE.name());
        assertThat(job.get("state").asString()).isEqualTo("succeeded");
        assertThat(job.get("attempts").asInt()).isEqualTo(2);
        assertThat(job.get("max_attempts").asInt()).isEqualTo(3);
        assertThat(job.get("owner_user_id").asString()).isEqualTo(owner.toString());
        assertThat(job.has("created_at")).isTrue();
        assertThat(job.has("payload")).as("payloads may hold secrets").isFalse();
        assertThat(job.has("last_error")).as("errors may name internal hosts").isFalse();

        Http.Response other = http.get("/api/v1/jobs/" + id)
                .bearer(TestBearerTokens.user(UUID.randomUUID()))
                .send();
        assertThat(other.status()).isEqualTo(404);
        assertThat(other.code()).isEqualTo("not_found");

        Http.Response admin =
                http.get("/api/v1/jobs/" + id).bearer(TestBearerTokens.ADMIN).send();
        assertThat(admin.status()).isEqualTo(200);
        assertThat(admin.json().get("last_error").asString()).contains("scripted failure");
        assertThat(http.get("/api/v1/jobs/" + id)
                        .bearer(TestBearerTokens.SUPERADMIN)
                        .send()
                        .status())
                .isEqualTo(200);
        assertThat(http.get("/api/v1/jobs/" + id).send().status()).isEqualTo(401);
        assertThat(http.get("/api/v1/jobs/not-a-uuid")
                        .bearer(TestBearerTokens.ADMIN)
                        .send()
                        .status())
                .isEqualTo(400);
    }

    @Test
    void adminListPagesNewestFirstWithACursor() {
        List<UUID> mine = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            mine.add(jobs.enqueue(
                    ScriptedJobHandler.TYPE,
                    ScriptedJobHandler.payload(UUID.randomUUID().toString(), 0),
                    null));
        }

        List<String> seen = new ArrayList<>();
        Instant previous = Instant.MAX;
        String cursor = null;
        for (int pages = 0; pages < 500; pages++) {
            String path = "/api/v1/admin/jobs?type=test.scripted&limit=2" + (cursor == null ? "" : "&cursor=" + cursor);
            Http.Response response =
                    http.get(path).bearer(TestBearerTokens.ADMIN).send();
            assertThat(response.status()).isEqualTo(200);
            JsonNode page = response.json();
            assertThat(page.get("data").size()).isLessThanOrEqualTo(2);
            for (JsonNode job : page.get("data")) {
                Instant created = Instant.parse(job.get("created_at").asString());
                assertThat(created).isBeforeOrEqualTo(previous);
                previous = created;
                seen.add(job.get("id").asString());
            }
            JsonNode next = page.get("next_cursor");
            if (next == null || next.isNull()) break;
            cursor = next.asString();
        }
        assertThat(new HashSet<>(seen)).as("no job on two pages").hasSameSizeAs(seen);
        assertThat(seen).containsAll(mine.stream().map(UUID::toString).toList());

        assertThat(adminGet("/api/v1/admin/jobs?limit=201").code()).isEqualTo("validation_failed");
        assertThat(adminGet("/api/v1/admin/jobs?limit=0").code()).isEqualTo("validation_failed");
        assertThat(adminGet("/api/v1/admin/jobs?state=bogus").code()).isEqualTo("invalid_parameter");
        assertThat(adminGet("/api/v1/admin/jobs?cursor=bm9wZQ").code()).isEqualTo("invalid_cursor");
        assertThat(http.get("/api/v1/admin/jobs")
                        .bearer(TestBearerTokens.user(UUID.randomUUID()))
                        .send()
                        .status())
                .isEqualTo(403);
    }

    record Impostor(String key) {}

    @Test
    void enqueueRefusesUnknownTypesAndPayloadsOfAnotherRecord() {
        assertThatThrownBy(() -> jobs.enqueue(
                        JobType.of("no.such.type", ScriptedJobHandler.Script.class),
                        ScriptedJobHandler.payload("k", 0),
                        null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no.such.type");
        assertThatThrownBy(() -> jobs.enqueue(JobType.of("test.scripted", Impostor.class), new Impostor("k"), null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Impostor");
    }

    @Test
    void aStoredPayloadThatIsNotTheTypesRecordIsDeadAtOnce() {
        String key = UUID.randomUUID().toString();
        // A payload without its "fail" member, as a bug or a hand-edited row would leave it.
        UUID id = new TransactionTemplate(transactions).execute(s -> {
            UUID queued = jobs.enqueue(ScriptedJobHandler.TYPE, ScriptedJobHandler.payload(key, 0), null);
            db.sql("update job_runs set payload = jsonb_build_object('key', cast(:key as text)) where id = :id")
                    .param("key", key)
                    .param("id", queued)
                    .update();
            return queued;
        });

        awaitState(id, "dead");
        assertThat(row(id).attempts()).isEqualTo(1);
        assertThat(row(id).lastError())
                .contains("not a Script of job type 'test.scripted'")
                .doesNotContain(key);
        assertThat(scripted.attempts(key)).as("the handler never saw it").isEmpty();
        assertThat(scripted.deadLettered(key))
                .as("nor its dead-letter callback")
                .isFalse();
    }

    @Test
    void dailyPurgeDeletesOnlyOldSucceededRecords() {
        Instant now = Instant.now();
        UUID oldSucceeded = insertRun("succeeded", now.minus(Duration.ofDays(40)));
        UUID recentSucceeded = insertRun("succeeded", now.minus(Duration.ofDays(1)));
        UUID oldDead = insertRun("dead", now.minus(Duration.ofDays(40)));

        purge.run();

        assertThat(exists(oldSucceeded)).isFalse();
        assertThat(exists(recentSucceeded)).isTrue();
        assertThat(exists(oldDead)).as("dead letters wait for an operator").isTrue();
        assertThat(db.sql("select count(*) from scheduled_tasks where task_name in ('job-runs-purge', 'email-purge')")
                        .query(Long.class)
                        .single())
                .as("recurring jobs are scheduled in the database")
                .isEqualTo(2);
    }

    @Test
    void readinessReportsTheSchedulerAndMetricsShowTheQueue() {
        assertThat(http.get("/health/ready").send().status()).isEqualTo(200);
        JobsHealthIndicator live = context.getBean(JobsHealthIndicator.class);
        assertThat(live.health().getStatus()).isEqualTo(Status.UP);

        // A scheduler that was never started (as before the app is ready, or after shutdown) is DOWN.
        JobScheduler idle = new JobScheduler(
                context.getBean(DataSource.class),
                context.getBean(JobExecutor.class),
                context.getBeanProvider(RecurringJob.class),
                context.getBean(JobMetrics.class),
                context.getBean(JobSettings.class),
                meters,
                context.getBean(Clock.class));
        assertThat(new JobsHealthIndicator(idle, context.getBean(JobMetrics.class))
                        .health()
                        .getStatus())
                .isEqualTo(Status.DOWN);

        String metrics = http.get("/metrics").send().body();
        assertThat(metrics).contains("gatehouse_jobs_queue_depth", "gatehouse_jobs_current{state=\"dead\"}");
    }

    private Http.Response adminGet(String path) {
        Http.Response response = http.get(path).bearer(TestBearerTokens.ADMIN).send();
        assertThat(response.status()).as(path).isEqualTo(400);
        return response;
    }

    private void awaitState(UUID id, String state) {
        Poll.untilTrue(
                WAIT,
                "job " + id + " to be " + state,
                () -> row(id).state().wire().equals(state));
    }

    private JobRun row(UUID id) {
        return context.getBean(JobRuns.class).find(id).orElseThrow();
    }

    private long pendingExecutions(UUID id) {
        return db.sql("select count(*) from scheduled_tasks where task_instance = :id")
                .param("id", id.toString())
                .query(Long.class)
                .single();
    }

    private boolean exists(UUID id) {
        return db.sql("select count(*) from job_runs where id = :id")
                        .param("id", id)
                        .query(Long.class)
                        .single()
                > 0;
    }

    private UUID insertRun(String state, Instant at) {
        UUID id = UUID.randomUUID();
        OffsetDateTime ts = at.atOffset(ZoneOffset.UTC);
        db.sql("""
                insert into job_runs (id, type, payload, state, attempts, max_attempts, created_at, updated_at)
                values (:id, 'test.scripted', '{}'::jsonb, :state, 1, 3, :at, :at)
                """).param("id", id).param("state", state).param("at", ts).update();
        return id;
    }

    private double counter(String name) {
        return meters.find(name).counters().stream().mapToDouble(c -> c.count()).sum();
    }

    private static Set<String> ids(JsonNode page) {
        Set<String> ids = new HashSet<>();
        page.get("data").forEach(job -> ids.add(job.get("id").asString()));
        return ids;
    }
}
