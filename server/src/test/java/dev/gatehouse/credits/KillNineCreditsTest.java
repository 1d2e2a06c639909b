package dev.gatehouse.credits;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.gatehouse.GatehouseApplication;
import dev.gatehouse.support.EndToEndTest;
import dev.gatehouse.support.Http;
import dev.gatehouse.support.Poll;
import dev.gatehouse.support.TestAccounts;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.SimpleDriverDataSource;

/**
 * A {@code kill -9} in the middle of settlements loses nothing and applies nothing twice. A real Gatehouse process
 * (a child JVM on its own fresh database) holds credits for many reservations, then several senders settle them,
 * each with an Idempotency-Key, and the process is SIGKILLed while settles are in flight. A second process is
 * started on the same database and every settle is sent again with its key, as a client would: the acknowledged
 * ones are replayed (Idempotent-Replayed, the same answer) and change nothing; the cut-off ones are applied now,
 * or replayed when they had committed before the kill. Every reservation ends settled exactly once, the revenue
 * is the sum of what was settled, and the drift check finds nothing.
 */
class KillNineCreditsTest extends EndToEndTest {

    private static final Duration START = Duration.ofSeconds(120);
    private static final int RESERVATIONS = 200;
    private static final int SENDERS = 4;

    @Autowired
    private DataSource dataSource;

    @Test
    void replayingEverySettleAfterAKillNineAppliesEachExactlyOnce() throws Exception {
        JdbcClient admin = JdbcClient.create(dataSource);
        String database = "kill9_credits_" + UUID.randomUUID().toString().replace("-", "");
        admin.sql("create database " + database).update();
        Child first = null;
        Child second = null;
        try {
            String url = jdbcUrl(database);
            JdbcClient child = JdbcClient.create(childDataSource(url));
            first = Child.start("credits-first", url);
            first.await(START);
            Http node = first.http();
            String adminToken = login(node);
            String service = serviceKey(node, adminToken);
            UUID org = personalOrg(node, adminToken);
            Http.Response grant = node.post("/api/v1/admin/orgs/" + org + "/credits/grants")
                    .bearer(adminToken)
                    .json("amount", 100_000, "reason", "kill -9 test")
                    .send();
            assertThat(grant.status()).as(grant.toString()).isEqualTo(201);
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < RESERVATIONS; i++) {
                Http.Response r = node.post("/api/v1/credits/reservations")
                        .bearer(service)
                        .header("Idempotency-Key", "hold-" + i)
                        .json("org", org.toString(), "amount", 10)
                        .send();
                assertThat(r.status()).as(r.toString()).isEqualTo(201);
                ids.add(r.json().get("id").asString());
            }

            // Senders settle reservations until the node dies; a settle is acknowledged only when its answer arrived.
            Map<String, String> acknowledged = new ConcurrentHashMap<>();
            Set<String> cutOff = ConcurrentHashMap.newKeySet();
            AtomicInteger next = new AtomicInteger();
            AtomicBoolean stop = new AtomicBoolean();
            List<Thread> senders = new ArrayList<>();
            for (int s = 0; s < SENDERS; s++) {
                senders.add(Thread.ofPlatform().start(() -> {
                    while (!stop.get()) {
                        int n = next.getAndIncrement();
                        if (n >= ids.size()) return;
                        String id = ids.get(n);
                        try {
                            Http.Response r = settle(node, service, id, n);
                            assertThat(r.status()).as(r.toString()).isEqualTo(200);
                            acknowledged.put(id, r.body());
                        } catch (UncheckedIOException | IllegalStateException e) {
                            cutOff.add(id);
                            return;
                        }
                    }
                }));
            }
            Poll.untilTrue(Duration.ofSeconds(60), "30 acknowledged settles", () -> acknowledged.size() >= 30);
            first.kill();
            stop.set(true);
            for (Thread t : senders) t.join(Duration.ofSeconds(60));
            assertThat(acknowledged.size())
                    .as("not every settle finished before the kill")
                    .isLessThan(RESERVATIONS);

            second = Child.start("credits-second", url);
            second.await(START);
            Http again = second.http();
            long revenueBefore = revenue(child, org);
            // Replaying an acknowledged settle changes nothing and answers the same.
            for (var e : acknowledged.entrySet()) {
                Http.Response r = settle(again, service, e.getKey(), ids.indexOf(e.getKey()));
                assertThat(r.status()).as(r.toString()).isEqualTo(200);
                assertThat(r.header("Idempotent-Replayed")).isEqualTo("true");
                assertThat(r.body()).isEqualTo(e.getValue());
            }
            assertThat(revenue(child, org)).as("replays change nothing").isEqualTo(revenueBefore);
            // Every other settle is sent again with its key: applied now, or replayed if it had committed.
            for (int n = 0; n < ids.size(); n++) {
                if (acknowledged.containsKey(ids.get(n))) continue;
                Http.Response r = settle(again, service, ids.get(n), n);
                assertThat(r.status()).as(r.toString()).isEqualTo(200);
                assertThat(r.json().get("state").asString()).isEqualTo("settled");
            }
            // Holds are replayed too, never held twice.
            Http.Response hold = again.post("/api/v1/credits/reservations")
                    .bearer(service)
                    .header("Idempotency-Key", "hold-0")
                    .json("org", org.toString(), "amount", 10)
                    .send();
            assertThat(hold.json().get("id").asString()).isEqualTo(ids.get(0));

            assertThat(child.sql("""
                                    select count(*) from credit_transactions where org_id = :org and kind = 'settle'
                                    """).param("org", org).query(Integer.class).single())
                    .as("one settle per reservation")
                    .isEqualTo(RESERVATIONS);
            assertThat(child.sql("""
                                    select count(*) from credit_reservations where org_id = :org and state = 'settled'
                                    """).param("org", org).query(Integer.class).single())
                    .isEqualTo(RESERVATIONS);
            long expected = 0;
            for (int n = 0; n < RESERVATIONS; n++) expected += actual(n);
            assertThat(revenue(child, org)).isEqualTo(expected);
            Http.Response drift = again.post("/api/v1/admin/ledger/drift-check")
                    .bearer(login(again))
                    .send();
            assertThat(drift.json().get("drifts").size()).isZero();
        } finally {
            if (first != null) first.kill();
            if (second != null) second.stop();
            admin.sql("drop database if exists " + database + " with (force)").update();
        }
    }

    /** What the n-th reservation settles for, in micro-PT: 1 to 9 PT, so every settle returns something. */
    private static long actual(int n) {
        return (1 + n % 9) * 1_000_000L;
    }

    private static Http.Response settle(Http node, String service, String id, int n) {
        return node.post("/api/v1/credits/reservations/" + id + "/settle")
                .bearer(service)
                .header("Idempotency-Key", "settle-" + id)
                .json("amount", 1 + n % 9, "user", "u-" + n)
                .send();
    }

    private static long revenue(JdbcClient child, UUID org) {
        return child.sql(
                        "select coalesce(sum(balance), 0) from credit_accounts where org_id = :org and account = 'revenue'")
                .param("org", org)
                .query(Long.class)
                .single();
    }

    private static String login(Http node) {
        Http.Response r = node.post("/api/v1/auth/login")
                .json("email", TestAccounts.ADMIN_EMAIL, "password", TestAccounts.ADMIN_PASSWORD)
                .send();
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        return r.json().get("access_token").asString();
    }

    private static String serviceKey(Http node, String adminToken) {
        Http.Response r = node.post("/api/v1/admin/service-keys")
                .bearer(adminToken)
                .json("name", "kill -9 credits backend")
                .send();
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
        return r.json().get("key").asString();
    }

    private static UUID personalOrg(Http node, String token) {
        Http.Response r = node.get("/api/v1/orgs").bearer(token).send();
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        return UUID.fromString(r.json().get("data").get(0).get("id").asString());
    }

    private String jdbcUrl(String database) throws SQLException {
        String url = dataSource.unwrap(HikariDataSource.class).getJdbcUrl();
        return url.replaceFirst("^(jdbc:postgresql://[^/]+/)[^?]*", "$1" + database);
    }

    private DataSource childDataSource(String url) throws Exception {
        HikariDataSource parent = dataSource.unwrap(HikariDataSource.class);
        return new SimpleDriverDataSource(new org.postgresql.Driver(), url, parent.getUsername(), parent.getPassword());
    }

    /** One child JVM running Gatehouse on its own port; its output is kept in target/kill9-<name>.log. */
    private static final class Child {
        private final Process process;
        private final int port;
        private final List<String> lines = new CopyOnWriteArrayList<>();

        private Child(Process process, int port, Path log) throws IOException {
            this.process = process;
            this.port = port;
            Writer out = Files.newBufferedWriter(log, StandardCharsets.UTF_8);
            Thread.ofVirtual().start(() -> {
                try (BufferedReader in = new BufferedReader(
                                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
                        out) {
                    for (String line; (line = in.readLine()) != null; ) {
                        lines.add(line);
                        out.write(line);
                        out.write('\n');
                        out.flush();
                    }
                } catch (IOException e) {
                    // The process was killed and its pipe closed: nothing more to read.
                }
            });
        }

        static Child start(String name, String databaseUrl) throws IOException {
            int port;
            try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                port = free.getLocalPort();
            }
            String java = ProcessHandle.current()
                    .info()
                    .command()
                    .orElse(Path.of(System.getProperty("java.home"), "bin", "java")
                            .toString());
            List<String> command = List.of(
                    java,
                    "-Xshare:auto",
                    "-XX:TieredStopAtLevel=1",
                    "-Xmx512m",
                    "-cp",
                    System.getProperty("java.class.path"),
                    GatehouseApplication.class.getName(),
                    "--spring.profiles.active=test",
                    "--server.address=127.0.0.1",
                    "--server.port=" + port,
                    "--spring.datasource.url=" + databaseUrl);
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
            builder.environment().remove("GATEHOUSE_DATABASE_URL");
            return new Child(builder.start(), port, Path.of("target", "kill9-" + name + ".log"));
        }

        Http http() {
            return new Http("http://127.0.0.1:" + port);
        }

        void await(Duration timeout) {
            Poll.untilTrue(timeout, "the child to answer /health/ready (see target/kill9-*.log)", () -> {
                if (!process.isAlive()) throw new AssertionError("Child exited with " + process.exitValue());
                try {
                    return http().get("/health/ready").send().status() == 200;
                } catch (RuntimeException notYet) {
                    return false;
                }
            });
        }

        /** SIGKILL on Linux: no shutdown hook, no graceful stop, connections simply vanish. */
        void kill() throws InterruptedException {
            process.destroyForcibly();
            process.waitFor(30, TimeUnit.SECONDS);
        }

        void stop() throws InterruptedException {
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) kill();
        }
    }
}
