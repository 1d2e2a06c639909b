package dev.gatehouse.audit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.support.EndToEndTest;
import dev.gatehouse.support.Http;
import dev.gatehouse.support.TestBearerTokens;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;

/**
 * Tampering done directly in SQL, as someone with database access would, is reported by verify at the exact
 * first broken link. Each test starts from an empty chain with five rows appended through the public API
 * (seqs 1 to 5), and the chain is emptied again afterwards, so the rest of the suite finds it valid.
 */
class AuditTamperingTest extends EndToEndTest {

    private static final int ROWS = 5;

    @Autowired
    private AuditLog audit;

    @Autowired
    private TransactionTemplate transactions;

    @Autowired
    private JdbcClient db;

    @Autowired
    private DataSource dataSource;

    private ChainSurgery surgery;

    @BeforeEach
    void freshChainOfFive() {
        surgery = new ChainSurgery(dataSource);
        surgery.reset();
        UUID actor = UUID.randomUUID();
        for (int i = 1; i <= ROWS; i++) {
            int n = i;
            transactions.executeWithoutResult(s -> audit.record(AuditEntry.by(actor, "test.tamper_target")
                    .target("widget", "w-" + n)
                    .detail("n", n)
                    .detail("note", "row " + n)));
        }
        JsonNode clean = verify();
        assertThat(clean.get("valid").asBoolean()).as(clean.toString()).isTrue();
        assertThat(clean.get("checked").asLong()).isEqualTo(ROWS);
        // verify recorded itself as seq 6; start every scenario from exactly five rows
        surgery.run(
                "delete from audit_events where seq > " + ROWS,
                "update audit_chain_head set (seq, hash) = (select seq, hash from audit_events where seq = " + ROWS
                        + ")");
    }

    @AfterEach
    void leaveAValidChain() {
        surgery.reset();
    }

    @Test
    void changedActionIsAHashMismatchAtThatRow() {
        surgery.run("update audit_events set action = 'test.innocent' where seq = 3");
        assertFirstBroken(3, "hash_mismatch", 3);
    }

    @Test
    void changedDetailsAreAHashMismatchAtThatRow() {
        surgery.run("update audit_events set details = '{\"n\": 3, \"note\": \"nothing happened\"}' where seq = 3");
        assertFirstBroken(3, "hash_mismatch", 3);
    }

    @Test
    void changedTimeIsAHashMismatchAtThatRow() {
        surgery.run("update audit_events set occurred_at = occurred_at - interval '1 microsecond' where seq = 4");
        assertFirstBroken(4, "hash_mismatch", 4);
    }

    @Test
    void deletedRowInTheMiddleIsASeqGapAtTheRowAfterIt() {
        surgery.run("delete from audit_events where seq = 3");
        assertFirstBroken(4, "seq_gap", 3);
    }

    @Test
    void swappedHashesAreAHashMismatchAtTheFirstOfThem() {
        surgery.run("""
                update audit_events a set hash = b.hash
                from audit_events b
                where (a.seq = 2 and b.seq = 3) or (a.seq = 3 and b.seq = 2)
                """);
        assertFirstBroken(2, "hash_mismatch", 2);
    }

    @Test
    void swappedRowsAreAPrevHashMismatch() {
        // Moved rows are checked for their link before their content: row 3, now second, does not point at row 1.
        surgery.run(
                "update audit_events set seq = 1002 where seq = 2",
                "update audit_events set seq = 2 where seq = 3",
                "update audit_events set seq = 3 where seq = 1002");
        assertFirstBroken(2, "prev_hash_mismatch", 2);
    }

    @Test
    void forgedRowAtTheEndWithAWrongPrevHashIsAPrevHashMismatch() {
        Map<String, Object> forged = forgedRow(6, "ab".repeat(32));
        insert(forged, OutsiderCheck.sha256Hex(canonical(forged)));
        assertFirstBroken(6, "prev_hash_mismatch", 6);

        // Auditing goes on (verify just recorded itself after the forged row) and the break stays reported.
        assertThat(db.sql("select max(seq) from audit_events").query(Long.class).single())
                .isEqualTo(7);
        assertFirstBroken(6, "prev_hash_mismatch", 6);
    }

    @Test
    void forgedRowThatChainsCorrectlyIsCaughtByTheHead() {
        // A forger who computes the hashes right still does not move the head the writer keeps.
        String lastHash = hex(db.sql("select hash from audit_events where seq = 5")
                .query(byte[].class)
                .single());
        Map<String, Object> forged = forgedRow(6, lastHash);
        insert(forged, OutsiderCheck.sha256Hex(canonical(forged)));
        assertFirstBroken(6, "head_mismatch", 6);
    }

    @Test
    void rowsCutOffTheEndAreCaughtByTheHead() {
        surgery.run("delete from audit_events where seq >= 4");
        assertFirstBroken(4, "head_mismatch", 3);
    }

    @Test
    void appendsAfterADeletedTailLeaveAGap() {
        surgery.run("delete from audit_events where seq = 5");
        // verify itself appends (as seq 6, chained to the deleted row's hash the head still holds)
        assertFirstBroken(5, "head_mismatch", 4);
        assertFirstBroken(6, "seq_gap", 5);
    }

    private void assertFirstBroken(long seq, String reason, long checked) {
        JsonNode result = verify();
        assertThat(result.get("valid").asBoolean()).as(result.toString()).isFalse();
        assertThat(result.get("first_broken").get("seq").asLong())
                .as(result.toString())
                .isEqualTo(seq);
        assertThat(result.get("first_broken").get("reason").asString())
                .as(result.toString())
                .isEqualTo(reason);
        assertThat(result.get("checked").asLong()).as(result.toString()).isEqualTo(checked);
        assertThat(result.has("head_hash")).isFalse();
    }

    private JsonNode verify() {
        Http.Response r = http.post("/api/v1/admin/audit-events/verify")
                .bearer(TestBearerTokens.ADMIN)
                .send();
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        return r.json();
    }

    private static Map<String, Object> forgedRow(long seq, String prevHashHex) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("seq", seq);
        row.put("id", UUID.randomUUID().toString());
        row.put("occurred_at", "2026-01-01T00:00:00.000000Z");
        row.put("actor_id", null);
        row.put("impersonator_id", null);
        row.put("action", "test.forged");
        row.put("target_type", null);
        row.put("target_id", null);
        row.put("ip", null);
        row.put("user_agent", null);
        row.put("request_id", null);
        row.put("details", Map.of());
        row.put("prev_hash", prevHashHex);
        return row;
    }

    private static String canonical(Map<String, Object> row) {
        // Keys sorted, no whitespace; the forged row holds no strings that need escaping.
        StringBuilder json = new StringBuilder("{");
        row.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> {
            if (json.length() > 1) json.append(',');
            json.append('"').append(e.getKey()).append("\":");
            Object v = e.getValue();
            if (v == null) json.append("null");
            else if (v instanceof Number) json.append(v);
            else if (v instanceof Map) json.append("{}");
            else json.append('"').append(v).append('"');
        });
        return json.append('}').toString();
    }

    private void insert(Map<String, Object> row, String hashHex) {
        surgery.run(String.format(
                "insert into audit_events (seq, id, occurred_at, action, details, prev_hash, hash)"
                        + " values (%d, '%s', '%s', '%s', '{}', '\\x%s', '\\x%s')",
                row.get("seq"),
                row.get("id"),
                row.get("occurred_at"),
                row.get("action"),
                row.get("prev_hash"),
                hashHex));
    }

    private static String hex(byte[] bytes) {
        return java.util.HexFormat.of().formatHex(bytes);
    }
}
