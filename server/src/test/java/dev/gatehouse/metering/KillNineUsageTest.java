package dev.gatehouse.metering;

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
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.SimpleDriverDataSource;
import tools.jackson.databind.JsonNode;

/**
 * Nothing acknowledged is lost when a node is killed with {@code kill -9} in the middle of usage ingest. A real
 * Gatehouse process (a child JVM on its own fresh database in the test's PostgreSQL) receives batches of events
 * from several senders and is SIGKILLed while batches are in flight; a second process is started on the same
 * database. Every event of every batch that was answered before the kill must be stored and counted exactly once;
 * the batches that were cut off are sent again, as a client would, and are then counted once too (their events
 * that had been committed answer {@code duplicate}); and the totals agree with the stored events.
 */
class KillNineUsageTest extends EndToEndTest {

    private static final Duration START = Duration.ofSeconds(120);
    private static final int SENDERS = 4;
    private static final int BATCH = 250;

    @Autowired
    private DataSource dataSource;

    @Test
    void everyAcknowledgedEventSurvivesAKillNineAndIsCountedOnce() throws Exception {
        JdbcClient admin = JdbcClient.create(dataSource);
        String database = "kill9_usage_" + UUID.randomUUID().toString().replace("-", "");
        admin.sql("create database " + database).update();
        Child first = null;
        Child second = null;
        try {
            String url = jdbcUrl(database);
            JdbcClient child = JdbcClient.create(childDataSource(url));
            first = Child.start("usage-first", url);
            first.await(START);
            Http node = first.http();
            String adminToken = login(node);
            String service = serviceKey(node, adminToken);
            UUID org = personalOrg(node, adminToken);

            // Senders post batches of fresh ids until the node dies; a batch counts as acknowledged only when its
            // 200 answer arrived.
            Map<Integer, List<Map<String, Object>>> acknowledged = new java.util.concurrent.ConcurrentHashMap<>();
            Map<Integer, List<Map<String, Object>>> cutOff = new java.util.concurrent.ConcurrentHashMap<>();
            AtomicInteger nextBatch = new AtomicInteger();
            AtomicBoolean stop = new AtomicBoolean();
            List<Thread> senders = new ArrayList<>();
            for (int s = 0; s < SENDERS; s++) {
                senders.add(Thread.ofPlatform().start(() -> {
                    while (!stop.get()) {
                        int n = nextBatch.getAndIncrement();
                        List<Map<String, Object>> batch = batch(org, n);
                        try {
                            Http.Response r = node.post("/api/v1/usage/events")
                                    .bearer(service)
                                    .json("events", batch)
                                    .send();
                            assertThat(r.status()).as(r.toString()).isEqualTo(200);
                            assertThat(r.json().get("accepted").asInt()).isEqualTo(BATCH);
                            acknowledged.put(n, batch);
                        } catch (UncheckedIOException | IllegalStateException e) {
                            cutOff.put(n, batch); // the connection died with the node: no answer, no promise
                            return;
                        }
                    }
                }));
            }
            Poll.untilTrue(Duration.ofSeconds(60), "20 acknowledged batches", () -> acknowledged.size() >= 20);
            first.kill();
            stop.set(true);
            for (Thread t : senders) t.join(Duration.ofSeconds(60));
            assertThat(cutOff).as("batches in flight at the kill").isNotEmpty();

            Set<String> ackedIds = ids(acknowledged.values());
            Set<String> storedAtKill = storedIds(child, org);
            assertThat(storedAtKill).as("every acknowledged event is stored").containsAll(ackedIds);
            Set<String> cutOffButCommitted = new HashSet<>(ids(cutOff.values()));
            cutOffButCommitted.retainAll(storedAtKill);

            second = Child.start("usage-second", url);
            second.await(START);
            Http again = second.http();
            int duplicates = 0;
            for (List<Map<String, Object>> batch : cutOff.values()) {
                Http.Response r = again.post("/api/v1/usage/events")
                        .bearer(service)
                        .json("events", batch)
                        .send();
                assertThat(r.status()).as(r.toString()).isEqualTo(200);
                assertThat(r.json().get("rejected").asInt()).isZero();
                duplicates += r.json().get("duplicates").asInt();
            }
            // An acknowledged batch sent again is all duplicates: never counted twice.
            List<Map<String, Object>> someAcked =
                    acknowledged.values().iterator().next();
            JsonNode replay = again.post("/api/v1/usage/events")
                    .bearer(service)
                    .json("events", someAcked)
                    .send()
                    .json();
            assertThat(replay.get("duplicates").asInt()).isEqualTo(BATCH);

            Set<String> everyId = new HashSet<>(ackedIds);
            everyId.addAll(ids(cutOff.values()));
            assertThat(storedIds(child, org)).isEqualTo(everyId);
            long counted = child.sql("""
                            select coalesce(sum(events), 0) from usage_totals
                            where org_id = :org and meter = 'api_calls' and period = 'day'
                            """).param("org", org).query(Long.class).single();
            assertThat(counted)
                    .as("the day totals count each stored event once")
                    .isEqualTo(everyId.size());
            Http.Response usage = again.get("/api/v1/orgs/" + org + "/usage?meter=api_calls&group=none")
                    .bearer(login(again))
                    .send();
            assertThat(usage.json().get("meters").get(0).get("total").asLong()).isEqualTo(everyId.size());
            assertThat(duplicates)
                    .as("the cut-off batches' events that had committed before the kill, and only those")
                    .isEqualTo(cutOffButCommitted.size());
        } finally {
            if (first != null) first.kill();
            if (second != null) second.stop();
            admin.sql("drop database if exists " + database + " with (force)").update();
        }
    }

    private static List<Map<String, Object>> batch(UUID org, int n) {
        List<Map<String, Object>> events = new ArrayList<>(BATCH);
        for (int i = 0; i < BATCH; i++) {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("id", "k9-" + n + "-" + i);
            e.put("org", org.toString());
            e.put("meter", "api_calls");
            events.add(e);
        }
        return events;
    }

    private static Set<String> ids(java.util.Collection<List<Map<String, Object>>> batches) {
        Set<String> ids = new HashSet<>();
        batches.forEach(b -> b.forEach(e -> ids.add((String) e.get("id"))));
        return ids;
    }

    private static Set<String> storedIds(JdbcClient child, UUID org) {
        return new HashSet<>(child.sql("select event_id from usage_events where org_id = :org")
                .param("org", org)
                .query(String.class)
                .list());
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
                .json("name", "kill -9 backend")
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
