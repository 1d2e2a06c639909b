package dev.gatehouse.billing;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.gatehouse.GatehouseApplication;
import dev.gatehouse.support.Http;
import dev.gatehouse.support.Poll;
import dev.gatehouse.support.TestAccounts;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.SimpleDriverDataSource;

/**
 * Nothing Stripe was told we received is lost when the node is killed with {@code kill -9} between the intake and
 * the processing. A real Gatehouse process (a child JVM on its own database) takes signed events while Stripe's API
 * is failing, so every event is stored and acknowledged but none can be processed; it is SIGKILLed; a second
 * process on the same database processes every one of them, each with exactly one effect, once Stripe answers.
 */
class KillNineWebhookTest extends BillingEndToEndTest {

    private static final Duration START = Duration.ofSeconds(180);
    private static final int TOP_UPS = 8;

    @Autowired
    private DataSource dataSource;

    @Test
    void acknowledgedEventsSurviveAKillNineAndAreProcessedOnce() throws Exception {
        JdbcClient admin = JdbcClient.create(dataSource);
        String database = "kill9_billing_" + UUID.randomUUID().toString().replace("-", "");
        admin.sql("create database " + database).update();
        Child first = null;
        Child second = null;
        try {
            String url = jdbcUrl(database);
            JdbcClient child = JdbcClient.create(childDataSource(url));
            first = Child.start("billing-first", url);
            first.await(START);
            Http node = first.http();
            String token = login(node);
            UUID org = personalOrg(node, token);

            List<String> sessions = new ArrayList<>();
            for (int i = 0; i < TOP_UPS; i++) {
                Http.Response r = node.post("/api/v1/orgs/" + org + "/billing/checkout")
                        .bearer(token)
                        .json("type", "credits", "packs", i + 1)
                        .send();
                assertThat(r.status()).as(r.toString()).isEqualTo(200);
                String checkoutUrl = r.json().get("checkout_url").asString();
                sessions.add(checkoutUrl.substring(checkoutUrl.lastIndexOf('/') + 1));
            }
            List<String> events = new ArrayList<>();
            for (String s : sessions) events.add(STRIPE.completeCheckout(s));

            STRIPE.failReads(true);
            for (String e : events) {
                Http.Response r = node.post(WEBHOOK)
                        .header("Stripe-Signature", STRIPE.sign(e, SECRET))
                        .body(e)
                        .send();
                assertThat(r.status()).as(r.toString()).isEqualTo(200);
            }
            first.kill();

            assertThat(child.sql("select count(*) from stripe_events where state = 'received'")
                            .query(Long.class)
                            .single())
                    .as("every acknowledged event stored, none processed")
                    .isEqualTo(TOP_UPS);

            STRIPE.failReads(false);
            second = Child.start("billing-second", url);
            second.await(START);
            Poll.untilTrue(
                    Duration.ofSeconds(120),
                    "every event processed by the second node",
                    () -> child.sql("select count(*) from stripe_events where state = 'processed'")
                                    .query(Long.class)
                                    .single()
                            == TOP_UPS);
            assertThat(child.sql("select count(*) from billing_credit_purchases where org_id = :org")
                            .param("org", org)
                            .query(Long.class)
                            .single())
                    .as("each top-up once")
                    .isEqualTo(TOP_UPS);
            long credits = child.sql("select sum(credits) from billing_credit_purchases where org_id = :org")
                    .param("org", org)
                    .query(Long.class)
                    .single();
            assertThat(credits).isEqualTo(1000L * TOP_UPS * (TOP_UPS + 1) / 2);
            // Stripe redelivering them all to the new node changes nothing.
            Http again = second.http();
            for (String e : events) {
                Http.Response r = again.post(WEBHOOK)
                        .header("Stripe-Signature", STRIPE.sign(e, SECRET))
                        .body(e)
                        .send();
                assertThat(r.json().get("duplicate").asBoolean()).isTrue();
            }
        } finally {
            STRIPE.failReads(false);
            if (first != null) first.kill();
            if (second != null) second.stop();
            admin.sql("drop database if exists " + database + " with (force)").update();
        }
    }

    private static String login(Http node) {
        Http.Response r = node.post("/api/v1/auth/login")
                .json("email", TestAccounts.ADMIN_EMAIL, "password", TestAccounts.ADMIN_PASSWORD)
                .send();
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        return r.json().get("access_token").asString();
    }

    private static UUID personalOrg(Http node, String token) {
        Http.Response r = node.get("/api/v1/orgs").bearer(token).send();
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        return UUID.fromString(r.json().get("data").get(0).get("id").asString());
    }

    private String jdbcUrl(String database) throws java.sql.SQLException {
        String url = dataSource.unwrap(HikariDataSource.class).getJdbcUrl();
        return url.replaceFirst("^(jdbc:postgresql://[^/]+/)[^?]*", "$1" + database);
    }

    private DataSource childDataSource(String url) throws Exception {
        HikariDataSource parent = dataSource.unwrap(HikariDataSource.class);
        return new SimpleDriverDataSource(new org.postgresql.Driver(), url, parent.getUsername(), parent.getPassword());
    }

    /** One child JVM running Gatehouse with Stripe pointed at this JVM's fake; output in target/kill9-<name>.log. */
    private static final class Child {
        private final Process process;
        private final int port;

        private Child(Process process, int port) {
            this.process = process;
            this.port = port;
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
                    "--spring.datasource.url=" + databaseUrl,
                    "--gatehouse.stripe.secret-key=sk_test_gatehouse_fake",
                    "--gatehouse.stripe.webhook-secret=" + SECRET,
                    "--gatehouse.stripe.api-base=" + STRIPE.base(),
                    "--gatehouse.stripe.max-network-retries=0",
                    "--gatehouse.billing.credits.stripe-price-id=price_credits_pack",
                    "--gatehouse.billing.event-retry.max-attempts=1000",
                    "--gatehouse.billing.event-retry.initial-delay=200ms",
                    "--gatehouse.billing.event-retry.max-delay=1s",
                    // Jobs the killed node had picked are taken over once it misses six heartbeats: seconds here.
                    "--gatehouse.jobs.heartbeat-interval=2s");
            ProcessBuilder builder = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(Path.of("target", "kill9-" + name + ".log").toFile());
            builder.environment().remove("GATEHOUSE_DATABASE_URL");
            return new Child(builder.start(), port);
        }

        Http http() {
            return new Http("http://127.0.0.1:" + port);
        }

        void await(Duration timeout) {
            Poll.untilTrue(timeout, "the child to answer /health/ready (see target/kill9-billing-*.log)", () -> {
                if (!process.isAlive()) throw new AssertionError("Child exited with " + process.exitValue());
                try {
                    return http().get("/health/ready").send().status() == 200;
                } catch (RuntimeException notYet) {
                    return false;
                }
            });
        }

        /** SIGKILL on Linux: no shutdown hook, no graceful stop. */
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
