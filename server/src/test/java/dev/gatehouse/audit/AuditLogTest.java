package dev.gatehouse.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatehouse.platform.RequestIds;
import dev.gatehouse.support.EndToEndTest;
import dev.gatehouse.support.Http;
import dev.gatehouse.support.TestBearerTokens;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.IllegalTransactionStateException;
import org.springframework.transaction.support.TransactionTemplate;

/** The public {@link AuditLog}: transactional appends, a linear chain under concurrency, and an append-only table. */
class AuditLogTest extends EndToEndTest {

    private static final byte[] ZERO_HASH = new byte[32];

    @Autowired
    private AuditLog audit;

    @Autowired
    private TransactionTemplate transactions;

    @Autowired
    private JdbcClient db;

    private record Link(long seq, byte[] prevHash, byte[] hash, Instant occurredAt) {}

    @Test
    void recordNeedsTheCallersTransaction() {
        assertThatThrownBy(() -> audit.record(AuditEntry.system("test.no_transaction")))
                .isInstanceOf(IllegalTransactionStateException.class);
        assertThat(count("action = 'test.no_transaction'")).isZero();
    }

    @Test
    void hundredConcurrentWritersKeepOneGapFreeLinearChain() throws Exception {
        UUID actor = UUID.randomUUID();
        int threads = 100;
        int perThread = 3;
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                done.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < perThread; i++) {
                        int n = i;
                        transactions.executeWithoutResult(s -> audit.record(AuditEntry.by(actor, "test.concurrent")
                                .detail("thread", thread)
                                .detail("n", n)));
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> f : done) f.get(60, TimeUnit.SECONDS);
        } finally {
            pool.shutdownNow();
        }

        assertThat(count("actor_id = '" + actor + "'")).isEqualTo(threads * perThread);
        List<Link> chain = db.sql("select seq, prev_hash, hash, occurred_at from audit_events order by seq")
                .query((rs, i) -> new Link(
                        rs.getLong("seq"),
                        rs.getBytes("prev_hash"),
                        rs.getBytes("hash"),
                        rs.getObject("occurred_at", OffsetDateTime.class).toInstant()))
                .list();
        for (int i = 0; i < chain.size(); i++) {
            Link link = chain.get(i);
            assertThat(link.seq()).as("gap-free from 1").isEqualTo(i + 1);
            byte[] previous = i == 0 ? ZERO_HASH : chain.get(i - 1).hash();
            assertThat(Arrays.equals(link.prevHash(), previous))
                    .as("seq %d links to the row before it", link.seq())
                    .isTrue();
        }
        List<Instant> ours = db.sql("select occurred_at from audit_events where actor_id = :actor order by seq")
                .param("actor", actor)
                .query((rs, i) ->
                        rs.getObject("occurred_at", OffsetDateTime.class).toInstant())
                .list();
        assertThat(ours)
                .as("time is taken under the chain lock, so it follows seq")
                .isSorted();
        assertVerifiesValid();
    }

    @Test
    void rolledBackTransactionLeavesNoRowAndNoGap() {
        long before = headSeq();
        String doomed = UUID.randomUUID().toString();
        transactions.executeWithoutResult(s -> {
            audit.record(AuditEntry.system("test.rolled_back").target("widget", doomed));
            assertThat(headSeq())
                    .as("appended only when the transaction commits")
                    .isEqualTo(before);
            s.setRollbackOnly();
        });
        assertThat(count("target_id = '" + doomed + "'")).isZero();
        assertThat(headSeq()).isEqualTo(before);

        String kept = UUID.randomUUID().toString();
        transactions.executeWithoutResult(
                s -> audit.record(AuditEntry.system("test.committed").target("widget", kept)));
        long seq = db.sql("select seq from audit_events where target_id = :id")
                .param("id", kept)
                .query(Long.class)
                .single();
        assertThat(seq).as("the rolled-back seq is reused, leaving no gap").isEqualTo(before + 1);
        assertVerifiesValid();
    }

    @Test
    void failureInTheCallersTransactionTakesTheAuditRowWithIt() {
        String target = UUID.randomUUID().toString();
        assertThatThrownBy(() -> transactions.executeWithoutResult(s -> {
                    audit.record(AuditEntry.system("test.then_failed").target("widget", target));
                    throw new IllegalStateException("the business change failed after it was audited");
                }))
                .isInstanceOf(IllegalStateException.class);
        assertThat(count("target_id = '" + target + "'")).isZero();
    }

    @Test
    void appendOnlyTriggerRefusesUpdateDeleteAndTruncate() {
        transactions.executeWithoutResult(s -> audit.record(AuditEntry.system("test.immutable")));
        long seq = headSeq();

        for (String sql : List.of(
                "update audit_events set action = 'test.changed' where seq = " + seq,
                "update audit_events set details = '{}' where seq = -1",
                "delete from audit_events where seq = " + seq,
                "truncate audit_events",
                "delete from audit_chain_head",
                "update audit_chain_head set seq = seq - 1")) {
            assertThatThrownBy(() -> db.sql(sql).update())
                    .as(sql)
                    .isInstanceOf(DataAccessException.class)
                    .hasMessageContaining("not allowed");
        }
        assertThat(db.sql("select action from audit_events where seq = :seq")
                        .param("seq", seq)
                        .query(String.class)
                        .single())
                .isEqualTo("test.immutable");
        assertVerifiesValid();
    }

    @Test
    void recordsTheRequestIdFromTheLogContextOutsideHttp() {
        String requestId = "job-" + UUID.randomUUID();
        String target = UUID.randomUUID().toString();
        MDC.put(RequestIds.MDC_KEY, requestId);
        try {
            transactions.executeWithoutResult(
                    s -> audit.record(AuditEntry.system("test.from_a_job").target("widget", target)));
        } finally {
            MDC.remove(RequestIds.MDC_KEY);
        }
        Map<String, Object> row = db.sql("select request_id, ip, user_agent from audit_events where target_id = :id")
                .param("id", target)
                .query()
                .singleRow();
        assertThat(row.get("request_id")).isEqualTo(requestId);
        assertThat(row.get("ip")).isNull();
        assertThat(row.get("user_agent")).isNull();
    }

    private void assertVerifiesValid() {
        Http.Response r = http.post("/api/v1/admin/audit-events/verify")
                .bearer(TestBearerTokens.ADMIN)
                .send();
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertThat(r.json().get("valid").asBoolean()).as(r.toString()).isTrue();
    }

    private long headSeq() {
        return db.sql("select seq from audit_chain_head").query(Long.class).single();
    }

    private long count(String where) {
        return db.sql("select count(*) from audit_events where " + where)
                .query(Long.class)
                .single();
    }
}
