package dev.gatehouse.audit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.support.EndToEndTest;
import dev.gatehouse.support.Http;
import dev.gatehouse.support.TestAccounts;
import dev.gatehouse.support.TestBearerTokens;
import dev.gatehouse.support.TestClock;
import java.math.BigInteger;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;

/** The admin routes over HTTP: search with filters and cursors, JSON Lines export, verify, and their guards. */
class AuditApiTest extends EndToEndTest {

    private static final String EVENTS = "/api/v1/admin/audit-events";
    private static final String EXPORT = "/api/v1/admin/audit-events/export";
    private static final String VERIFY = "/api/v1/admin/audit-events/verify";

    @Autowired
    private AuditLog audit;

    @Autowired
    private TransactionTemplate transactions;

    @Autowired
    private TestClock clock;

    @Autowired
    private JdbcClient db;

    private void record(AuditEntry entry) {
        transactions.executeWithoutResult(s -> audit.record(entry));
    }

    private Http.Response get(String path, String... query) {
        return http.get(path + query(query)).bearer(TestBearerTokens.ADMIN).send();
    }

    /** A query string from alternating names and values, each URL-encoded. */
    private static String query(String... namesAndValues) {
        StringBuilder q = new StringBuilder();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            q.append(q.isEmpty() ? '?' : '&')
                    .append(namesAndValues[i])
                    .append('=')
                    .append(URLEncoder.encode(namesAndValues[i + 1], StandardCharsets.UTF_8));
        }
        return q.toString();
    }

    private static List<Long> seqs(Http.Response page) {
        assertThat(page.status()).as(page.toString()).isEqualTo(200);
        List<Long> seqs = new ArrayList<>();
        page.json().get("data").forEach(e -> seqs.add(e.get("seq").asLong()));
        return seqs;
    }

    private static List<String> field(Http.Response page, String name) {
        List<String> values = new ArrayList<>();
        page.json()
                .get("data")
                .forEach(e -> values.add(e.has(name) ? e.get(name).asString() : null));
        return values;
    }

    private static void assertProblem(Http.Response r, int status, String code) {
        assertThat(r.status()).as(r.toString()).isEqualTo(status);
        assertThat(r.header("Content-Type")).as(r.toString()).startsWith("application/problem+json");
        assertThat(r.code()).as(r.toString()).isEqualTo(code);
    }

    @Test
    void searchFiltersByActorActionAndTarget() {
        UUID actor = UUID.randomUUID();
        UUID other = UUID.randomUUID();
        String widget = UUID.randomUUID().toString();
        record(AuditEntry.by(actor, "test.widget_created").target("widget", widget));
        record(AuditEntry.by(actor, "test.widget_renamed")
                .target("widget", widget)
                .detail("name", "Bolt"));
        record(AuditEntry.by(actor, "test.widget_created").target("widget", "another-" + widget));
        record(AuditEntry.by(other, "test.widget_renamed").target("widget", widget));

        Http.Response byActor = get(EVENTS, "actor", actor.toString());
        assertThat(field(byActor, "action"))
                .containsExactly("test.widget_created", "test.widget_renamed", "test.widget_created");
        assertThat(field(byActor, "actor_id")).containsOnly(actor.toString());

        Http.Response byActorAndAction = get(EVENTS, "actor", actor.toString(), "action", "test.widget_renamed");
        assertThat(seqs(byActorAndAction)).hasSize(1);
        assertThat(byActorAndAction
                        .json()
                        .get("data")
                        .get(0)
                        .get("details")
                        .get("name")
                        .asString())
                .isEqualTo("Bolt");

        Http.Response byTarget = get(EVENTS, "target_type", "widget", "target_id", widget);
        assertThat(field(byTarget, "action"))
                .containsExactly("test.widget_renamed", "test.widget_renamed", "test.widget_created");
        assertThat(field(byTarget, "actor_id")).containsExactly(other.toString(), actor.toString(), actor.toString());

        Http.Response byAction = get(EVENTS, "action", "test.widget_created", "limit", "200");
        assertThat(field(byAction, "action")).containsOnly("test.widget_created");
        assertThat(field(byAction, "target_id")).contains(widget, "another-" + widget);

        assertThat(seqs(get(EVENTS, "actor", UUID.randomUUID().toString()))).isEmpty();
        assertThat(get(EVENTS, "actor", actor.toString()).json().has("next_cursor"))
                .isFalse();
    }

    @Test
    void searchFiltersByTimeFromInclusiveToExclusive() {
        UUID actor = UUID.randomUUID();
        List<String> times = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) {
                record(AuditEntry.by(actor, "test.timed").detail("i", i));
                clock.advance(Duration.ofSeconds(10));
            }
        } finally {
            clock.reset();
        }
        Http.Response all = get(EVENTS, "actor", actor.toString());
        field(all, "occurred_at").reversed().forEach(times::add);
        assertThat(times).hasSize(3);
        assertThat(times.getFirst()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{6}Z");

        List<Long> seqs = seqs(all).reversed();
        assertThat(seqs(get(EVENTS, "actor", actor.toString(), "from", times.get(1), "to", times.get(2))))
                .containsExactly(seqs.get(1));
        assertThat(seqs(get(EVENTS, "actor", actor.toString(), "from", times.get(1))))
                .containsExactly(seqs.get(2), seqs.get(1));
        assertThat(seqs(get(EVENTS, "actor", actor.toString(), "to", times.get(1))))
                .containsExactly(seqs.get(0));
        // The same instant with an offset ('+' sent encoded).
        String plusTwo = java.time.OffsetDateTime.parse(times.get(1))
                .withOffsetSameInstant(java.time.ZoneOffset.ofHours(2))
                .toString();
        assertThat(seqs(get(EVENTS, "actor", actor.toString(), "from", plusTwo)))
                .containsExactly(seqs.get(2), seqs.get(1));
    }

    @Test
    void cursorPaginationWalksEveryRowExactlyOnceNewestFirst() {
        UUID actor = UUID.randomUUID();
        for (int i = 0; i < 7; i++) record(AuditEntry.by(actor, "test.paged").detail("i", i));

        List<Long> walked = new ArrayList<>();
        List<Integer> pageSizes = new ArrayList<>();
        String cursor = null;
        do {
            Http.Response page = cursor == null
                    ? get(EVENTS, "actor", actor.toString(), "limit", "3")
                    : get(EVENTS, "actor", actor.toString(), "limit", "3", "cursor", cursor);
            List<Long> seqs = seqs(page);
            pageSizes.add(seqs.size());
            walked.addAll(seqs);
            JsonNode next = page.json().get("next_cursor");
            cursor = next == null ? null : next.asString();
        } while (cursor != null);

        assertThat(pageSizes).containsExactly(3, 3, 1);
        assertThat(walked).hasSize(7).doesNotHaveDuplicates().isSortedAccordingTo((a, b) -> Long.compare(b, a));
        assertThat(new HashSet<>(walked))
                .isEqualTo(new HashSet<>(db.sql("select seq from audit_events where actor_id = :a")
                        .param("a", actor)
                        .query(Long.class)
                        .list()));
    }

    @Test
    void exportLinesReverifyIndependentlyAndChainTogether() {
        UUID actor = UUID.randomUUID();
        Map<String, Object> nested = new LinkedHashMap<>();
        nested.put("z", List.of(true, "x"));
        nested.put("a", null);
        record(AuditEntry.by(actor, "test.exported_detail")
                .target("widget", "w/1")
                .detail("text", "quote \" backslash \\ newline \n tab \t é 😀 </script>")
                .detail("big", new BigInteger("123456789012345678901234567890"))
                .detail("negative", -42)
                .detail("nested", nested));

        Http.Response export = http.get(EXPORT)
                .bearer(TestBearerTokens.SUPERADMIN)
                .header("User-Agent", "audit-export-test/1.0")
                .send();
        assertThat(export.status()).as(export.toString()).isEqualTo(200);
        assertThat(export.header("Content-Type")).startsWith("application/x-ndjson");
        List<JsonNode> lines =
                export.body().lines().map(l -> Http.JSON.readTree(l)).toList();
        assertThat(export.body()).endsWith("\n");

        String prev = "00".repeat(32);
        long expectedSeq = 1;
        for (JsonNode line : lines) {
            assertThat(line.get("seq").asLong()).isEqualTo(expectedSeq++);
            assertThat(line.get("prev_hash").asString()).as(line.toString()).isEqualTo(prev);
            assertThat(line.get("hash").asString())
                    .as("independent SHA-256 of %s", line)
                    .isEqualTo(OutsiderCheck.expectedHash(line));
            prev = line.get("hash").asString();
        }
        JsonNode last = lines.getLast();
        assertThat(last.get("action").asString())
                .as("the export records itself")
                .isEqualTo("audit.exported");
        assertThat(last.get("actor_id").asString()).isEqualTo(TestBearerTokens.ADMIN_ID.toString());
        assertThat(last.get("user_agent").asString()).isEqualTo("audit-export-test/1.0");

        JsonNode ours = lines.stream()
                .filter(l -> l.get("action").asString().equals("test.exported_detail")
                        && l.get("actor_id").asString().equals(actor.toString()))
                .findFirst()
                .orElseThrow();
        assertThat(ours.get("details").get("text").asString())
                .isEqualTo("quote \" backslash \\ newline \n tab \t é 😀 </script>");
        assertThat(ours.get("details").get("big").bigIntegerValue())
                .isEqualTo(new BigInteger("123456789012345678901234567890"));
        assertThat(ours.get("details").get("nested").has("a"))
                .as("nulls are kept")
                .isTrue();
        assertThat(ours.has("impersonator_id"))
                .as("every hashed member is present")
                .isTrue();
        JsonNode searched =
                get(EVENTS, "actor", actor.toString()).json().get("data").get(0);
        assertThat(searched.get("details"))
                .as("the search shows details as stored")
                .isEqualTo(ours.get("details"));
        assertThat(searched.has("impersonator_id"))
                .as("the search leaves out null members")
                .isFalse();
        assertThat(searched.get("hash")).isEqualTo(ours.get("hash"));

        // The verify answer names the same head the export ends with (the export's own event).
        JsonNode verified =
                http.post(VERIFY).bearer(TestBearerTokens.ADMIN).send().json();
        assertThat(verified.get("valid").asBoolean()).as(verified.toString()).isTrue();
        assertThat(verified.get("checked").asLong()).isEqualTo(last.get("seq").asLong());
        assertThat(verified.get("head_hash").asString())
                .isEqualTo(last.get("hash").asString());
    }

    @Test
    void filteredExportHoldsOnlyMatchingRowsOldestFirst() {
        UUID actor = UUID.randomUUID();
        for (int i = 0; i < 3; i++)
            record(AuditEntry.by(actor, "test.filtered_export").detail("i", i));
        record(AuditEntry.by(UUID.randomUUID(), "test.filtered_export"));

        Http.Response export = http.get(EXPORT + query("actor", actor.toString()))
                .bearer(TestBearerTokens.ADMIN)
                .send();
        assertThat(export.status()).as(export.toString()).isEqualTo(200);
        List<JsonNode> lines =
                export.body().lines().map(l -> Http.JSON.readTree(l)).toList();
        assertThat(lines).hasSize(3);
        assertThat(lines.stream().map(l -> l.get("details").get("i").asInt())).containsExactly(0, 1, 2);
        lines.forEach(l -> assertThat(l.get("hash").asString()).isEqualTo(OutsiderCheck.expectedHash(l)));

        JsonNode exported = get(EVENTS, "action", "audit.exported", "limit", "1")
                .json()
                .get("data")
                .get(0);
        assertThat(exported.get("details").get("filters").get("actor").asString())
                .isEqualTo(actor.toString());
    }

    @Test
    void verifyRecordsWhoVerifiedFromWhereAndInWhichRequest() {
        String requestId = "verify-" + UUID.randomUUID();
        Http.Response r = http.post(VERIFY)
                .bearer(TestBearerTokens.SUPERADMIN)
                .header("X-Request-Id", requestId)
                .header("User-Agent", "audit-verify-test/2.0")
                .send();
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertThat(r.json().get("valid").asBoolean()).isTrue();
        assertThat(r.json().get("head_hash").asString()).matches("[0-9a-f]{64}");
        assertThat(r.json().has("first_broken")).isFalse();

        JsonNode event = get(EVENTS, "action", "audit.verified", "limit", "1")
                .json()
                .get("data")
                .get(0);
        assertThat(event.get("request_id").asString()).isEqualTo(requestId);
        assertThat(event.get("user_agent").asString()).isEqualTo("audit-verify-test/2.0");
        assertThat(event.get("ip").asString()).isEqualTo("127.0.0.1");
        assertThat(event.get("actor_id").asString()).isEqualTo(TestBearerTokens.ADMIN_ID.toString());
        assertThat(event.get("details").get("valid").asBoolean()).isTrue();
        assertThat(event.get("details").get("head_hash").asString())
                .isEqualTo(r.json().get("head_hash").asString());
    }

    @Test
    void everyRouteNeedsAnAdminRole() {
        TestAccounts accounts = new TestAccounts(http, SMTP);
        String user = accounts.create("audit-user").accessToken();
        String superadmin = accounts.admin().accessToken();

        for (String token : new String[] {null, user}) {
            for (Http.Request request : new Http.Request[] {http.get(EVENTS), http.get(EXPORT), http.post(VERIFY)}) {
                Http.Response r =
                        token == null ? request.send() : request.bearer(token).send();
                if (token == null) assertProblem(r, 401, "unauthenticated");
                else assertProblem(r, 403, "forbidden");
            }
        }
        for (String token : new String[] {superadmin, TestBearerTokens.ADMIN}) {
            assertThat(http.get(EVENTS).bearer(token).send().status()).isEqualTo(200);
            assertThat(http.get(EXPORT + query("action", "test.none"))
                            .bearer(token)
                            .send()
                            .status())
                    .isEqualTo(200);
            assertThat(http.post(VERIFY).bearer(token).send().status()).isEqualTo(200);
        }
    }

    @Test
    void badSearchInputIsA400Problem() {
        String cursorOf = Base64.getUrlEncoder().withoutPadding().encodeToString("seq:0".getBytes());
        String[][] cases = {
            {"cursor", "not-a-cursor!", "invalid_cursor"},
            {"cursor", "c2VxOmFiYw", "invalid_cursor"}, // seq:abc
            {"cursor", cursorOf, "invalid_cursor"},
            {"cursor", Base64.getUrlEncoder().encodeToString("seq:99999999999999999999".getBytes()), "invalid_cursor"},
            {"limit", "0", "validation_failed"},
            {"limit", "201", "validation_failed"},
            {"limit", "ten", "invalid_parameter"},
            {"actor", "not-a-uuid", "invalid_parameter"},
            {"from", "yesterday", "invalid_parameter"},
            {"to", "2026-13-01T00:00:00Z", "invalid_parameter"},
            {"from", "2026-01-01T00:00:00 02:00", "invalid_parameter"}, // an unencoded '+'
            {"from", "2026-01-01", "invalid_parameter"},
            {"to", "+999999999-12-31T23:59:59Z", "invalid_parameter"},
            {"target_id", "w-1", "invalid_parameter"}, // without target_type
        };
        for (String[] c : cases) {
            assertProblem(get(EVENTS, c[0], c[1]), 400, c[2]);
        }
        assertProblem(
                get(EVENTS, "from", "2026-02-01T00:00:00Z", "to", "2026-01-01T00:00:00Z"), 400, "invalid_parameter");
        assertThat(get(EVENTS, "unknown", "ignored", "actor", "").status()).isEqualTo(200);
    }

    @Test
    void badExportInputIsA400ProblemAndExportsNothing() {
        long exportsBefore = exports();
        for (String[] c : new String[][] {
            {"from", "yesterday"}, {"actor", "nope"}, {"target_id", "w-1"}, {"to", "-999999999-01-01T00:00:00Z"}
        }) {
            assertProblem(
                    http.get(EXPORT + query(c[0], c[1]))
                            .bearer(TestBearerTokens.ADMIN)
                            .send(),
                    400,
                    "invalid_parameter");
        }
        assertThat(exports()).as("a refused export is not on record as done").isEqualTo(exportsBefore);
    }

    private long exports() {
        return db.sql("select count(*) from audit_events where action = 'audit.exported'")
                .query(Long.class)
                .single();
    }
}
