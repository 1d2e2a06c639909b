package dev.gatehouse.metering;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.support.ChildNode;
import dev.gatehouse.support.EndToEndTest;
import dev.gatehouse.support.Http;
import dev.gatehouse.support.Poll;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
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
        ChildNode first = null;
        ChildNode second = null;
        try {
            String url = ChildNode.jdbcUrl(dataSource, database);
            JdbcClient child = JdbcClient.create(ChildNode.dataSource(dataSource, url));
            first = ChildNode.start("usage-first", url);
            first.await(START);
            Http node = first.http();
            String adminToken = ChildNode.adminToken(node);
            String service = ChildNode.serviceKey(node, adminToken);
            UUID org = ChildNode.personalOrg(node, adminToken);

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

            second = ChildNode.start("usage-second", url);
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
                    .bearer(ChildNode.adminToken(again))
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
}
