package dev.gatehouse.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.gatehouse.GatehouseApplication;
import dev.gatehouse.support.EndToEndTest;
import dev.gatehouse.support.Http;
import dev.gatehouse.support.Poll;
import dev.gatehouse.support.TestAccounts;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.logging.LoggingSystem;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;

/**
 * Two Gatehouse nodes on one Redis (a redis-server of this test's own) and the test's PostgreSQL: together they
 * never admit more than a policy allows; and when that Redis stops, fail-open policies keep answering, fail-closed
 * ones answer 503, readiness says DEGRADED, and decisions are normal again within 5 s of Redis coming back.
 */
@ExtendWith(OutputCaptureExtension.class)
class RedisNodesTest extends EndToEndTest {

    private static RedisServer redis;
    private static ConfigurableApplicationContext nodeA;
    private static ConfigurableApplicationContext nodeB;
    private static Http a;
    private static Http b;

    @Autowired
    private DataSource dataSource;

    private TestAccounts accounts;

    @BeforeEach
    void startNodes() throws Exception {
        accounts = new TestAccounts(http, SMTP);
        if (nodeA != null) return;
        redis = new RedisServer().start();
        String url = dataSource.unwrap(HikariDataSource.class).getJdbcUrl();
        nodeA = node(url);
        nodeB = node(url);
        a = new Http("http://127.0.0.1:"
                + ((WebServerApplicationContext) nodeA).getWebServer().getPort());
        b = new Http("http://127.0.0.1:"
                + ((WebServerApplicationContext) nodeB).getWebServer().getPort());
    }

    private ConfigurableApplicationContext node(String jdbcUrl) {
        // The first node owns logging; a second Spring Boot in one JVM must neither reconfigure nor shut it down.
        String previous = System.getProperty(LoggingSystem.SYSTEM_PROPERTY);
        System.setProperty(LoggingSystem.SYSTEM_PROPERTY, LoggingSystem.NONE);
        try {
            return new SpringApplicationBuilder(GatehouseApplication.class)
                    .profiles("test")
                    .run(
                            "--server.port=0",
                            "--spring.datasource.url=" + jdbcUrl,
                            "--spring.mail.host=127.0.0.1",
                            "--spring.mail.port=" + SMTP.getSmtp().getPort(),
                            "--gatehouse.http.cors-allowed-origins=https://app.example.com",
                            "--gatehouse.ratelimit.redis-url=" + redis.url());
        } finally {
            if (previous == null) System.clearProperty(LoggingSystem.SYSTEM_PROPERTY);
            else System.setProperty(LoggingSystem.SYSTEM_PROPERTY, previous);
        }
    }

    @AfterAll
    static void stopNodes() throws Exception {
        if (nodeA != null) nodeA.close();
        if (nodeB != null) nodeB.close();
        nodeA = nodeB = null;
        if (redis != null) redis.close();
    }

    private String serviceSecret() {
        Http.Response r = http.post("/api/v1/admin/service-keys")
                .bearer(accounts.admin().accessToken())
                .json("name", "two-node backend " + UUID.randomUUID().toString().substring(0, 8))
                .send();
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
        return r.json().get("key").asString();
    }

    private static Http.Response check(Http node, String service, String key, String policy) {
        return node.post("/api/v1/ratelimit/check")
                .bearer(service)
                .json("key", key, "policy", policy)
                .send();
    }

    private static Http.Response anonymous(Http node, String ip) {
        return node.post("/api/v1/auth/token/refresh")
                .header("X-Forwarded-For", ip)
                .json("refresh_token", "ghr_" + "x".repeat(43))
                .send();
    }

    private static Http.Response register(Http node, String ip) {
        return node.post("/api/v1/auth/register")
                .header("X-Forwarded-For", ip)
                .json("email", TestAccounts.uniqueEmail("rl-node"), "password", TestAccounts.PASSWORD)
                .send();
    }

    @Test
    void twoNodesTogetherNeverAdmitMoreThanThePolicyAllows() throws Exception {
        String service = serviceSecret();
        // The check API on both nodes at once: 200 requests for one key under register (5 an hour).
        String key = "shared-" + UUID.randomUUID();
        List<Future<Http.Response>> answers = new ArrayList<>();
        CountDownLatch go = new CountDownLatch(1);
        try (ExecutorService pool = Executors.newFixedThreadPool(64)) {
            for (int i = 0; i < 200; i++) {
                Http node = i % 2 == 0 ? a : b;
                answers.add(pool.submit(() -> {
                    go.await();
                    return check(node, service, key, "register");
                }));
            }
            go.countDown();
            int allowed = 0;
            for (Future<Http.Response> f : answers) {
                Http.Response r = f.get();
                assertThat(r.status()).as(r.toString()).isEqualTo(200);
                if (r.json().get("allowed").asBoolean()) allowed++;
            }
            assertThat(allowed).isEqualTo(5);
        }

        // The filter too: one client address on both nodes, anonymous (10 at once, then one every 2 s).
        String ip = "203.0.113.240";
        long started = System.nanoTime();
        List<Future<Integer>> statuses = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(32)) {
            for (int i = 0; i < 100; i++) {
                Http node = i % 2 == 0 ? a : b;
                statuses.add(pool.submit(() -> anonymous(node, ip).status()));
            }
            int admitted = 0;
            for (Future<Integer> f : statuses) if (f.get() != 429) admitted++;
            long elapsedSeconds = Duration.ofNanos(System.nanoTime() - started).toSeconds();
            assertThat(admitted).isBetween(10, 10 + (int) (elapsedSeconds / 2) + 1);
        }
    }

    @Test
    void redisStoppedMidRunFailsOpenOrClosedByPolicyAndRecoversWithinFiveSeconds(CapturedOutput output)
            throws Exception {
        String service = serviceSecret();
        String ip = "203.0.113.241";
        Http.Response before = anonymous(a, ip);
        assertThat(before.status()).isEqualTo(401);
        assertThat(before.header("RateLimit")).startsWith("\"anonymous\";r=9");
        assertThat(ready(a).get("status").asString()).isEqualTo("UP");

        redis.stop();
        long stopped = System.nanoTime();

        // Fail-open (anonymous, the plans): requests keep being answered, without headers that would be made up.
        for (int i = 0; i < 20; i++) {
            Http.Response r = anonymous(a, ip);
            assertThat(r.status()).as(r.toString()).isEqualTo(401);
            assertThat(r.header("RateLimit")).isNull();
        }
        JsonNode open = check(b, service, "open-" + UUID.randomUUID(), "free").json();
        assertThat(open.get("allowed").asBoolean()).isTrue();
        // Fail-closed (sign-ups): 503 rate_limiter_unavailable, from the filter and from the check API.
        Http.Response closed = register(a, "203.0.113.242");
        assertThat(closed.status()).as(closed.toString()).isEqualTo(503);
        assertThat(closed.code()).isEqualTo("rate_limiter_unavailable");
        assertThat(closed.header("Retry-After")).isEqualTo("1");
        Http.Response closedCheck = check(b, service, "closed-" + UUID.randomUUID(), "register");
        assertThat(closedCheck.status()).isEqualTo(503);
        assertThat(closedCheck.code()).isEqualTo("rate_limiter_unavailable");
        // Readiness shows it and the node stays in service (200); the failures are counted.
        Http.Response readiness = a.get("/health/ready").send();
        assertThat(readiness.status()).isEqualTo(200);
        assertThat(readiness.json().get("status").asString()).isEqualTo("DEGRADED");
        assertThat(readiness
                        .json()
                        .get("components")
                        .get("ratelimit")
                        .get("status")
                        .asString())
                .isEqualTo("DEGRADED");
        MeterRegistry meters = nodeA.getBean(MeterRegistry.class);
        assertThat(meters.find("gatehouse.ratelimit.backend.failures")
                        .tag("policy", "register")
                        .tag("failure_mode", "closed")
                        .counter()
                        .count())
                .isGreaterThanOrEqualTo(1);

        // Dozens of decisions failed; each node said so once (the warning is itself limited to one per 10 s).
        MeterRegistry metersB = nodeB.getBean(MeterRegistry.class);
        double failed = meters.find("gatehouse.ratelimit.backend.failures").counters().stream()
                        .mapToDouble(c -> c.count())
                        .sum()
                + metersB.find("gatehouse.ratelimit.backend.failures").counters().stream()
                        .mapToDouble(c -> c.count())
                        .sum();
        assertThat(failed).isGreaterThanOrEqualTo(22);
        long warnings = output.getAll()
                .lines()
                .filter(l -> l.contains("Rate limiter backend redis unavailable"))
                .count();
        long tenSecondSpans = 1 + Duration.ofNanos(System.nanoTime() - stopped).toSeconds() / 10;
        assertThat(warnings).isBetween(1L, 2 * tenSecondSpans);

        redis.start();
        long back = System.nanoTime();
        String fresh = "203.0.113.243";
        Poll.untilTrue(Duration.ofSeconds(5), "sign-ups decided on Redis again on node A", () -> {
            Http.Response r = register(a, fresh);
            return r.status() == 201 && r.header("RateLimit") != null;
        });
        Poll.untilTrue(
                Duration.ofSeconds(5),
                "the check API deciding on Redis again on node B",
                () -> check(b, service, "again-" + UUID.randomUUID(), "register")
                                .status()
                        == 200);
        assertThat(Duration.ofNanos(System.nanoTime() - back)).isLessThan(Duration.ofSeconds(5));
        assertThat(ready(a).get("status").asString()).isEqualTo("UP");
        // And exact again: the restarted Redis starts empty, then counts.
        Http.Response first = anonymous(b, fresh);
        assertThat(first.header("RateLimit")).startsWith("\"anonymous\";r=");
    }

    private static JsonNode ready(Http node) {
        Http.Response r = node.get("/health/ready").send();
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        return r.json();
    }
}
