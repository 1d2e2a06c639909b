package dev.gatehouse.credits;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.support.ChildNode;
import dev.gatehouse.support.EndToEndTest;
import dev.gatehouse.support.Http;
import dev.gatehouse.support.Poll;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

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
        ChildNode first = null;
        ChildNode second = null;
        try {
            String url = ChildNode.jdbcUrl(dataSource, database);
            JdbcClient child = JdbcClient.create(ChildNode.dataSource(dataSource, url));
            first = ChildNode.start("credits-first", url);
            first.await(START);
            Http node = first.http();
            String adminToken = ChildNode.adminToken(node);
            String service = ChildNode.serviceKey(node, adminToken);
            UUID org = ChildNode.personalOrg(node, adminToken);
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

            second = ChildNode.start("credits-second", url);
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
                    .bearer(ChildNode.adminToken(again))
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
}
