package dev.gatehouse.credits;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatehouse.platform.Caller;
import dev.gatehouse.platform.PlatformRole;
import dev.gatehouse.support.EndToEndTest;
import dev.gatehouse.support.Http;
import dev.gatehouse.support.Poll;
import dev.gatehouse.support.TestAccounts;
import dev.gatehouse.support.TestClock;
import java.math.BigDecimal;
import java.sql.Date;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;

/**
 * Disputes, reconciliation and the monthly close end to end: real accounts and organizations, a real service key,
 * every flow over HTTP. Past months are filled through the ledger's own posting service (the API dates everything
 * now), in months after every month the shared database has closed, so tests never meet each other's closes.
 */
class CreditOperationsEndToEndTest extends EndToEndTest {

    @Autowired
    JdbcClient db;

    @Autowired
    TestClock clock;

    @Autowired
    Ledger ledger;

    @Autowired
    Grants grants;

    @Autowired
    Holds holds;

    @Autowired
    Disputes disputes;

    @Autowired
    LedgerPeriods periods;

    @Autowired
    Drift drift;

    @Autowired
    CreditUnit unit;

    @Autowired
    TransactionTemplate tx;

    TestAccounts accounts;
    String admin;

    record Member(String token, UUID org) {}

    @BeforeEach
    void setUp() {
        accounts = new TestAccounts(http, SMTP);
        admin = accounts.admin().accessToken();
    }

    @AfterEach
    void resetClock() {
        clock.reset();
    }

    Member member(String prefix) {
        TestAccounts.Account a = accounts.create(prefix);
        JsonNode personal = http.get("/api/v1/orgs")
                .bearer(a.accessToken())
                .send()
                .json()
                .get("data")
                .valueStream()
                .filter(o -> o.get("personal").asBoolean())
                .findFirst()
                .orElseThrow();
        UUID org = UUID.fromString(personal.get("id").asString());
        Poll.untilTrue(
                Duration.ofSeconds(20),
                "the personal organization's subscription",
                () -> http.get("/api/v1/orgs/" + org + "/subscription")
                                .bearer(a.accessToken())
                                .send()
                                .status()
                        == 200);
        return new Member(a.accessToken(), org);
    }

    String serviceKey() {
        Http.Response r = http.post("/api/v1/admin/service-keys")
                .bearer(admin)
                .json("name", "ops " + UUID.randomUUID().toString().substring(0, 8))
                .send();
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
        return r.json().get("key").asString();
    }

    void grant(UUID org, String amount) {
        Http.Response r = http.post("/api/v1/admin/orgs/" + org + "/credits/grants")
                .bearer(admin)
                .json("amount", new BigDecimal(amount), "reason", "test grant")
                .send();
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
    }

    /**
     * A debit of the model's price, as {@code POST /api/v1/credits/debits} makes it (same service, same usage
     * details); through the service because that route's 201 is not in the OpenAPI document yet, which the
     * contract check on every response would refuse.
     */
    UUID debit(String key, UUID org, String model, long input, long output) {
        assertThat(key).startsWith("gh_sk_");
        long price = unit.price(model, input, output);
        return tx.execute(s -> {
            ledger.lock(org);
            return holds.debit(
                            org,
                            price,
                            0,
                            new Holds.Context(
                                    null,
                                    null,
                                    Map.of(
                                            "user",
                                            "u1",
                                            "model",
                                            model,
                                            "input_tokens",
                                            input,
                                            "output_tokens",
                                            output),
                                    null),
                            clock.instant())
                    .transaction();
        });
    }

    BigDecimal available(Member m) {
        Http.Response r = http.get("/api/v1/orgs/" + m.org() + "/credits")
                .bearer(m.token())
                .send();
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        return r.json().get("available").decimalValue();
    }

    Http.Response openDispute(Member m, UUID transaction, String reason) {
        return http.post("/api/v1/orgs/" + m.org() + "/credits/disputes")
                .bearer(m.token())
                .json("transaction_id", transaction, "reason", reason)
                .send();
    }

    Http.Response resolve(String token, String dispute, Object... body) {
        return http.post("/api/v1/admin/disputes/" + dispute + "/resolve")
                .bearer(token)
                .json(body)
                .send();
    }

    // ---- disputes

    @Test
    void aDisputedChargeIsRefundedByACompensatingTransactionAndBothSidesSeeIt() {
        Member m = member("dispute");
        String key = serviceKey();
        grant(m.org(), "100");
        BigDecimal granted = available(m);
        UUID charge = debit(key, m.org(), "gpt-4o-mini", 30_000, 0);
        assertThat(available(m)).isEqualByComparingTo(granted.subtract(new BigDecimal("30")));

        // The member names the charge by one of its entries, as the entries list shows them.
        JsonNode entries = http.get("/api/v1/orgs/" + m.org() + "/credits/entries")
                .bearer(m.token())
                .send()
                .json()
                .get("data");
        String entry = entries.valueStream()
                .filter(e -> e.get("transaction_id").asString().equals(charge.toString()))
                .findFirst()
                .orElseThrow()
                .get("id")
                .asString();
        Http.Response opened = http.post("/api/v1/orgs/" + m.org() + "/credits/disputes")
                .bearer(m.token())
                .json("entry_id", entry, "reason", "the model never answered")
                .send();
        assertThat(opened.status()).as(opened.toString()).isEqualTo(201);
        String id = opened.json().get("id").asString();
        assertThat(opened.json().get("state").asString()).isEqualTo("open");
        assertThat(opened.json().get("amount").decimalValue()).isEqualByComparingTo("30");
        assertThat(opened.json().get("transaction_id").asString()).isEqualTo(charge.toString());

        // One open dispute per transaction.
        Http.Response again = openDispute(m, charge, "again");
        assertThat(again.status()).as(again.toString()).isEqualTo(409);
        assertThat(again.code()).isEqualTo("dispute_already_open");

        // The admins' queue has it, oldest first, with cursor pagination.
        assertThat(queueIds("open")).contains(id);

        Http.Response refunded = resolve(admin, id, "decision", "refund", "amount", new BigDecimal("20"), "note", "ok");
        assertThat(refunded.status()).as(refunded.toString()).isEqualTo(200);
        assertThat(refunded.json().get("state").asString()).isEqualTo("refunded");
        assertThat(refunded.json().get("refund_amount").decimalValue()).isEqualByComparingTo("20");
        assertThat(available(m)).isEqualByComparingTo(granted.subtract(new BigDecimal("10")));

        // The member sees the outcome.
        Http.Response mine = http.get("/api/v1/orgs/" + m.org() + "/credits/disputes")
                .bearer(m.token())
                .send();
        assertThat(mine.status()).isEqualTo(200);
        JsonNode first = mine.json().get("data").get(0);
        assertThat(first.get("id").asString()).isEqualTo(id);
        assertThat(first.get("state").asString()).isEqualTo("refunded");
        assertThat(first.get("refund_transaction_id").asString())
                .isEqualTo(refunded.json().get("refund_transaction_id").asString());
        assertThat(http.get("/api/v1/orgs/" + m.org() + "/credits/disputes/" + id)
                        .bearer(m.token())
                        .send()
                        .json()
                        .get("note")
                        .asString())
                .isEqualTo("ok");

        // The refund is a 'refund' transaction from the refunds account that references the charge.
        Map<String, Object> refundTx = db.sql("select kind, reference from credit_transactions where id = :id")
                .param(
                        "id",
                        UUID.fromString(
                                refunded.json().get("refund_transaction_id").asString()))
                .query()
                .singleRow();
        assertThat(refundTx.get("kind")).isEqualTo("refund");
        assertThat(refundTx.get("reference")).isEqualTo(charge);
        assertThat(ledger.balance(m.org(), Account.REFUNDS)).isEqualTo(-20_000_000);

        // The same decision again answers the resolved dispute; another decision is refused.
        Http.Response repeat = resolve(admin, id, "decision", "refund", "amount", new BigDecimal("20"), "note", "ok");
        assertThat(repeat.status()).isEqualTo(200);
        assertThat(repeat.json().get("refund_transaction_id").asString())
                .isEqualTo(refunded.json().get("refund_transaction_id").asString());
        Http.Response other = resolve(admin, id, "decision", "reject", "note", "changed my mind");
        assertThat(other.status()).isEqualTo(409);
        assertThat(other.code()).isEqualTo("dispute_already_resolved");
        assertThat(available(m)).isEqualByComparingTo(granted.subtract(new BigDecimal("10")));

        // What is left of the charge may be disputed again; a grant is not a charge.
        Http.Response rest = openDispute(m, charge, "the rest too");
        assertThat(rest.status()).isEqualTo(201);
        assertThat(rest.json().get("amount").decimalValue()).isEqualByComparingTo("10");
        UUID grantTx = db.sql("select id from credit_transactions where org_id = :org and kind = 'grant'")
                .param("org", m.org())
                .query(UUID.class)
                .list()
                .getFirst();
        Http.Response notACharge = openDispute(m, grantTx, "give me more");
        assertThat(notACharge.status()).isEqualTo(422);
        assertThat(notACharge.code()).isEqualTo("not_disputable");

        // The audit log has both steps.
        assertThat(db.sql("select count(*) from audit_events where target_id = :id")
                        .param("id", id)
                        .query(Integer.class)
                        .single())
                .isEqualTo(2);
    }

    @Test
    void aRejectionNeedsANoteAndTheMemberSeesIt() {
        Member m = member("reject");
        String key = serviceKey();
        grant(m.org(), "10");
        UUID charge = debit(key, m.org(), "gpt-4o-mini", 2_000, 0);
        BigDecimal charged = available(m);
        String id = openDispute(m, charge, "too much").json().get("id").asString();
        Http.Response noNote = resolve(admin, id, "decision", "reject");
        assertThat(noNote.status()).isEqualTo(400);
        Http.Response badDecision = resolve(admin, id, "decision", "maybe");
        assertThat(badDecision.status()).isEqualTo(400);
        Http.Response rejected = resolve(admin, id, "decision", "reject", "note", "the call was answered");
        assertThat(rejected.status()).as(rejected.toString()).isEqualTo(200);
        Http.Response seen = http.get("/api/v1/orgs/" + m.org() + "/credits/disputes/" + id)
                .bearer(m.token())
                .send();
        assertThat(seen.json().get("state").asString()).isEqualTo("rejected");
        assertThat(seen.json().get("note").asString()).isEqualTo("the call was answered");
        assertThat(available(m)).isEqualByComparingTo(charged);
        assertThat(queueIds("rejected")).contains(id);
        assertThat(queueIds("open")).doesNotContain(id);
        // A resolved dispute is final, in the database too.
        assertThatThrownBy(() -> db.sql("update credit_disputes set note = 'x' where id = :id")
                        .param("id", UUID.fromString(id))
                        .update())
                .hasMessageContaining("credit_dispute_final");
    }

    @Test
    void concurrentResolvesHaveOneEffect() throws Exception {
        Member m = member("race");
        String key = serviceKey();
        grant(m.org(), "50");
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            ids.add(openDispute(m, debit(key, m.org(), "gpt-4o-mini", 10_000, 0), "race " + i)
                    .json()
                    .get("id")
                    .asString());
        }
        BigDecimal base = available(m);
        // Each dispute is 10 PT. Dispute 0: 24 identical refunds at once. Disputes 1 and 2:
        // 24 refunds and rejections mixed; exactly one decision wins each.
        ExecutorService pool = Executors.newFixedThreadPool(24);
        try {
            List<Future<Http.Response>> same = new ArrayList<>();
            for (int i = 0; i < 24; i++) {
                same.add(pool.submit(() -> resolve(admin, ids.get(0), "decision", "refund")));
            }
            Set<String> refundTxs = new java.util.HashSet<>();
            for (Future<Http.Response> f : same) {
                Http.Response r = f.get(60, TimeUnit.SECONDS);
                assertThat(r.status()).as(r.toString()).isEqualTo(200);
                refundTxs.add(r.json().get("refund_transaction_id").asString());
            }
            assertThat(refundTxs).hasSize(1);
            for (String id : ids.subList(1, 3)) {
                List<Future<Http.Response>> mixed = new ArrayList<>();
                for (int i = 0; i < 24; i++) {
                    boolean refund = i % 2 == 0;
                    mixed.add(pool.submit(() -> refund
                            ? resolve(admin, id, "decision", "refund")
                            : resolve(admin, id, "decision", "reject", "note", "no")));
                }
                Map<String, Integer> outcomes = new HashMap<>();
                for (Future<Http.Response> f : mixed) {
                    Http.Response r = f.get(60, TimeUnit.SECONDS);
                    assertThat(r.status()).as(r.toString()).isIn(200, 409);
                    if (r.status() == 200) outcomes.merge(r.json().get("state").asString(), 1, Integer::sum);
                }
                assertThat(outcomes).hasSize(1);
                assertThat(outcomes.values().iterator().next()).isEqualTo(12);
            }
        } finally {
            pool.shutdownNow();
        }
        long refunds = db.sql("select count(*) from credit_transactions where org_id = :org and kind = 'refund'")
                .param("org", m.org())
                .query(Long.class)
                .single();
        long refunded = db.sql("select count(*) from credit_disputes where org_id = :org and state = 'refunded'")
                .param("org", m.org())
                .query(Long.class)
                .single();
        assertThat(refunds).isEqualTo(refunded).isBetween(1L, 3L);
        assertThat(available(m)).isEqualByComparingTo(base.add(BigDecimal.valueOf(10 * refunds)));
        assertThat(drift.differences(m.org())).isEmpty();
    }

    @Test
    void disputeRoutesRefuseWhoMayNotUseThem() {
        Member m = member("perm");
        Member outsider = member("outsider");
        String key = serviceKey();
        grant(m.org(), "10");
        UUID charge = debit(key, m.org(), "gpt-4o-mini", 1_000, 0);
        String id = openDispute(m, charge, "why").json().get("id").asString();
        // Not an admin: the queue and the resolution are closed to a member.
        assertThat(http.get("/api/v1/admin/disputes").bearer(m.token()).send().status())
                .isEqualTo(403);
        assertThat(resolve(m.token(), id, "decision", "refund").status()).isEqualTo(403);
        // A service key is no member.
        assertThat(http.get("/api/v1/orgs/" + m.org() + "/credits/disputes")
                        .bearer(key)
                        .send()
                        .status())
                .isEqualTo(403);
        // An outsider learns nothing of the organization, even with a bad body.
        for (Http.Response r : List.of(
                http.get("/api/v1/orgs/" + m.org() + "/credits/disputes")
                        .bearer(outsider.token())
                        .send(),
                http.get("/api/v1/orgs/" + m.org() + "/credits/disputes/" + id)
                        .bearer(outsider.token())
                        .send(),
                http.post("/api/v1/orgs/" + m.org() + "/credits/disputes")
                        .bearer(outsider.token())
                        .json("reason", "")
                        .send())) {
            assertThat(r.status()).as(r.toString()).isEqualTo(404);
        }
        // Another organization's transaction is not found from the outsider's own organization.
        Http.Response foreign = openDispute(outsider, charge, "not mine");
        assertThat(foreign.status()).isEqualTo(404);
    }

    List<String> queueIds(String state) {
        List<String> ids = new ArrayList<>();
        String cursor = null;
        do {
            Http.Response page = http.get("/api/v1/admin/disputes?state=" + state + "&limit=50"
                            + (cursor == null ? "" : "&cursor=" + cursor))
                    .bearer(admin)
                    .send();
            assertThat(page.status()).as(page.toString()).isEqualTo(200);
            page.json().get("data").forEach(d -> ids.add(d.get("id").asString()));
            JsonNode next = page.json().get("next_cursor");
            cursor = next == null || next.isNull() ? null : next.asString();
        } while (cursor != null);
        return ids;
    }

    // ---- reconciliation

    @Test
    void providerUsageIsReconciledPerDayModelAndOrganization() {
        Member m = member("recon");
        Member other = member("recon-other");
        String key = serviceKey();
        grant(m.org(), "1000");
        grant(other.org(), "1000");
        debit(key, m.org(), "gpt-4o-mini", 800, 200); // 1,000 tokens
        debit(key, m.org(), "gpt-4o", 1_500, 500); // 2,000 tokens
        debit(key, other.org(), "gpt-4o-mini", 100, 0); // only in the ledger
        LocalDate today = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
        String csv = "date,model,org,tokens,cost,extra\r\n"
                + today + ",gpt-4o-mini," + m.org() + ",1005,0.0015,x\r\n" // within 1 %
                + today + ",gpt-4o," + m.org() + ",5000,\"0.05\",x\r\n" // a mismatch
                + today + ",o1," + m.org() + ",300,0.3,x\r\n"; // only at the provider
        Http.Response imported = http.post("/api/v1/admin/reconciliation/imports?provider=openai")
                .bearer(admin)
                .header("Content-Type", "text/csv")
                .body(csv)
                .send();
        assertThat(imported.status()).as(imported.toString()).isEqualTo(202);
        String id = imported.json().get("id").asString();
        assertThat(imported.json().get("rows").asInt()).isEqualTo(3);
        assertThat(imported.json().get("job_id").asString()).isNotBlank();
        JsonNode done = Poll.until(Duration.ofSeconds(60), "the reconciliation to complete", () -> {
            JsonNode r = http.get("/api/v1/admin/reconciliation/imports/" + id)
                    .bearer(admin)
                    .send()
                    .json();
            return r.get("state").asString().equals("completed") ? r : null;
        });
        assertThat(done.get("groups_done").asInt())
                .isEqualTo(done.get("groups_total").asInt());

        Http.Response report = http.get("/api/v1/admin/reconciliation/reports/" + id)
                .bearer(admin)
                .send();
        assertThat(report.status()).as(report.toString()).isEqualTo(200);
        Map<String, String> mine = new HashMap<>();
        report.json().get("groups").forEach(g -> {
            String org = g.get("org").asString();
            if (org.equals(m.org().toString()) || org.equals(other.org().toString())) {
                mine.put(org + "/" + g.get("model").asString(), g.get("status").asString());
            }
        });
        assertThat(mine)
                .containsOnly(
                        Map.entry(m.org() + "/gpt-4o", "mismatch"),
                        Map.entry(m.org() + "/o1", "missing_in_ledger"),
                        Map.entry(other.org() + "/gpt-4o-mini", "missing_at_provider"));
        JsonNode mismatch = report.json()
                .get("groups")
                .valueStream()
                .filter(g -> g.get("model").asString().equals("gpt-4o")
                        && g.get("org").asString().equals(m.org().toString()))
                .findFirst()
                .orElseThrow();
        assertThat(mismatch.get("provider_tokens").asLong()).isEqualTo(5_000);
        assertThat(mismatch.get("ledger_tokens").asLong()).isEqualTo(2_000);
        assertThat(mismatch.get("difference").asLong()).isEqualTo(3_000);
        assertThat(mismatch.get("provider_cost").decimalValue()).isEqualByComparingTo("0.05");

        Http.Response all = http.get("/api/v1/admin/reconciliation/reports/" + id + "?all=true&format=csv")
                .bearer(admin)
                .send();
        assertThat(all.status()).isEqualTo(200);
        assertThat(all.header("Content-Type")).startsWith("text/csv");
        assertThat(all.body())
                .startsWith(
                        "day,model,org,provider_tokens,provider_cost,ledger_tokens,difference,ledger_credits,status")
                .contains(today + ",gpt-4o-mini," + m.org() + ",1005,0.0015,1000,5,")
                .contains(",match\r\n");

        Http.Response list = http.get("/api/v1/admin/reconciliation/reports?limit=200")
                .bearer(admin)
                .send();
        assertThat(list.json().get("data").valueStream().map(r -> r.get("id").asString()))
                .contains(id);
    }

    @Test
    void aBadUsageFileIsRefusedWithItsLineNumbersAndNothingIsImported() {
        long before = reconciliationRows();
        String csv = "date,model,org,tokens,cost\n"
                + "2026-11-01,gpt-4o," + UUID.randomUUID() + ",10,0.1\n"
                + "yesterday,gpt-4o," + UUID.randomUUID() + ",10,0.1\n"
                + "\n"
                + "2026-11-01,gpt-4o,not-an-org,-5,0.1\n";
        Http.Response r = http.post("/api/v1/admin/reconciliation/imports")
                .bearer(admin)
                .header("Content-Type", "text/csv")
                .body(csv)
                .send();
        assertThat(r.status()).as(r.toString()).isEqualTo(422);
        assertThat(r.code()).isEqualTo("invalid_usage_file");
        List<Integer> lines = new ArrayList<>();
        r.json().get("line_errors").forEach(e -> lines.add(e.get("line").asInt()));
        assertThat(lines).containsExactly(3, 5, 5);

        String json = "[\n  {\"date\": \"2026-11-01\", \"model\": \"gpt-4o\", \"org\": \"" + UUID.randomUUID()
                + "\", \"tokens\": 10, \"cost\": 0.1},\n  {\"date\": \"2026-11-01\", \"model\": \"gpt-4o\","
                + " \"key\": \"sk-unknown\", \"tokens\": 10, \"cost\": 0.1}\n]";
        Http.Response j = http.post("/api/v1/admin/reconciliation/imports")
                .bearer(admin)
                .header("Content-Type", "application/json")
                .body(json)
                .send();
        assertThat(j.status()).as(j.toString()).isEqualTo(422);
        assertThat(j.json().get("line_errors").get(0).get("line").asInt()).isEqualTo(3);
        assertThat(j.json().get("line_errors").get(0).get("field").asString()).isEqualTo("key");
        assertThat(j.json().get("errors").get(0).get("message").asString()).startsWith("line 3: ");

        Http.Response broken = http.post("/api/v1/admin/reconciliation/imports")
                .bearer(admin)
                .header("Content-Type", "application/json")
                .body("[\n{\"date\": ")
                .send();
        assertThat(broken.status()).isEqualTo(422);
        assertThat(reconciliationRows()).isEqualTo(before);

        Member m = member("recon-perm");
        assertThat(http.post("/api/v1/admin/reconciliation/imports")
                        .bearer(m.token())
                        .header("Content-Type", "text/csv")
                        .body(csv)
                        .send()
                        .status())
                .isEqualTo(403);
    }

    long reconciliationRows() {
        return db.sql("select count(*) from credit_reconciliations")
                .query(Long.class)
                .single();
    }

    // ---- the monthly close

    /** The first month after every month the shared database has closed (and after January 2001). */
    YearMonth nextOpenMonth() {
        LocalDate latest = db.sql("select coalesce(max(period), date '2000-12-01') from credit_periods")
                .query(LocalDate.class)
                .single();
        YearMonth next = YearMonth.from(latest).plusMonths(1);
        return next.isBefore(YearMonth.of(2001, 1)) ? YearMonth.of(2001, 1) : next;
    }

    static Instant at(YearMonth month, int day) {
        return month.atDay(day).atStartOfDay(ZoneOffset.UTC).toInstant().plusSeconds(3_600);
    }

    UUID grantAt(UUID org, long micros, Instant at) {
        return grants.grant(
                        new Grants.Grant(org, BlockSource.PROMO, micros, 200, null, null, null, null, "past", null), at)
                .transaction();
    }

    UUID debitAt(UUID org, long micros, Instant at) {
        return tx.execute(s -> {
            ledger.lock(org);
            return holds.debit(org, micros, 0, new Holds.Context(null, null, Map.of("model", "gpt-4o-mini"), null), at)
                    .transaction();
        });
    }

    List<Map<String, Object>> snapshot(YearMonth month) {
        return db.sql("select * from credit_period_balances where period = :p order by org_id, account")
                .param("p", Date.valueOf(month.atDay(1)))
                .query()
                .listOfRows();
    }

    @Test
    void aClosedMonthIsImmutableAndCorrectionsLandInTheOpenPeriod() {
        Member m = member("close");
        YearMonth month = nextOpenMonth();
        grantAt(m.org(), 50_000_000, at(month, 3));
        debitAt(m.org(), 20_000_000, at(month, 10));

        // The current month has not ended.
        Http.Response current = http.post("/api/v1/admin/ledger/periods/"
                        + YearMonth.from(LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC)) + "/close")
                .bearer(admin)
                .send();
        assertThat(current.status()).isEqualTo(409);
        assertThat(current.code()).isEqualTo("period_not_ended");
        assertThat(http.post("/api/v1/admin/ledger/periods/2001-13/close")
                        .bearer(admin)
                        .send()
                        .status())
                .isEqualTo(400);
        assertThat(http.get("/api/v1/admin/ledger/periods/" + month)
                        .bearer(admin)
                        .send()
                        .status())
                .isEqualTo(404);
        assertThat(http.post("/api/v1/admin/ledger/periods/" + month + "/close")
                        .bearer(m.token())
                        .send()
                        .status())
                .isEqualTo(403);

        Http.Response closed = http.post("/api/v1/admin/ledger/periods/" + month + "/close")
                .bearer(admin)
                .send();
        assertThat(closed.status()).as(closed.toString()).isEqualTo(200);
        assertThat(closed.json().get("closed_now").asBoolean()).isTrue();
        assertThat(closed.json().get("unchanged").asBoolean()).isTrue();
        List<Map<String, Object>> snapshot = snapshot(month);
        Map<String, Long> mine = new HashMap<>();
        snapshot.stream()
                .filter(r -> r.get("org_id").equals(m.org()))
                .forEach(r -> mine.put((String) r.get("account"), (Long) r.get("closing")));
        assertThat(mine)
                .containsEntry("available", 30_000_000L)
                .containsEntry("issued", -50_000_000L)
                .containsEntry("revenue", 20_000_000L);

        // Nothing may be dated in it any more, whatever path writes.
        assertThatThrownBy(() -> debitAt(m.org(), 1_000_000, at(month, 20)))
                .isInstanceOf(DataAccessException.class)
                .hasMessageContaining("credit_period_closed");
        assertThatThrownBy(() -> db.sql("update credit_period_balances set closing = 0 where period = :p")
                        .param("p", Date.valueOf(month.atDay(1)))
                        .update())
                .hasMessageContaining("credit_ledger_append_only");

        // Closing it again changes nothing.
        Http.Response twice = http.post("/api/v1/admin/ledger/periods/" + month + "/close")
                .bearer(admin)
                .send();
        assertThat(twice.status()).isEqualTo(200);
        assertThat(twice.json().get("closed_now").asBoolean()).isFalse();
        assertThat(twice.json().get("digest").asString())
                .isEqualTo(closed.json().get("digest").asString());

        // A correction is posted now, in the open period, naming the closed month.
        long before = ledger.balance(m.org(), Account.AVAILABLE);
        Http.Response correction = http.post("/api/v1/admin/ledger/periods/" + month + "/corrections")
                .bearer(admin)
                .json("org", m.org(), "amount", new BigDecimal("-5"), "reason", "double charge in " + month)
                .send();
        assertThat(correction.status()).as(correction.toString()).isEqualTo(201);
        Http.Response notClosed = http.post("/api/v1/admin/ledger/periods/" + month.plusMonths(1) + "/corrections")
                .bearer(admin)
                .json("org", m.org(), "amount", new BigDecimal("5"), "reason", "x")
                .send();
        assertThat(notClosed.status()).isEqualTo(404);
        assertThat(notClosed.code()).isEqualTo("period_not_closed");

        Http.Response report = http.get("/api/v1/admin/ledger/periods/" + month + "?org=" + m.org())
                .bearer(admin)
                .send();
        assertThat(report.status()).as(report.toString()).isEqualTo(200);
        assertThat(report.json().get("unchanged").asBoolean()).isTrue();
        assertThat(report.json().get("corrections").get(0).get("amount").decimalValue())
                .isEqualByComparingTo("-5");
        assertThat(report.json()
                        .get("organization")
                        .valueStream()
                        .filter(b -> b.get("account").asString().equals("available"))
                        .findFirst()
                        .orElseThrow()
                        .get("closing")
                        .decimalValue())
                .isEqualByComparingTo("30");
        assertThat(snapshot(month)).isEqualTo(snapshot);
        assertThat(ledger.balance(m.org(), Account.AVAILABLE)).isEqualTo(before - 5_000_000);
    }

    /**
     * A close racing postings dated in its month: every posting either committed before the close's snapshot (and
     * is in it) or was refused; none lands in the month after it closed.
     */
    @Test
    void aCloseRacingPostingsInItsMonthMissesNoneAndAdmitsNoneAfter() throws Exception {
        Member m = member("close-race");
        YearMonth month = nextOpenMonth();
        grantAt(m.org(), 1_000_000_000, at(month, 1));
        Caller operator = new Caller(UUID.randomUUID(), null, Set.of(PlatformRole.ADMIN), null);
        java.util.concurrent.atomic.AtomicLong debited = new java.util.concurrent.atomic.AtomicLong();
        java.util.concurrent.atomic.AtomicInteger refused = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> writers = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                writers.add(pool.submit(() -> {
                    // Keep posting until the close is done and one more posting was refused after it.
                    while (true) {
                        boolean after = closed.get();
                        try {
                            debitAt(m.org(), 1_000, at(month, 28));
                            debited.addAndGet(1_000);
                        } catch (DataAccessException e) {
                            assertThat(e).hasMessageContaining("credit_period_closed");
                            refused.incrementAndGet();
                            if (after) return;
                        }
                    }
                }));
            }
            Poll.untilTrue(Duration.ofSeconds(30), "some postings", () -> debited.get() >= 20_000);
            periods.close(month, operator, at(month.plusMonths(1), 1));
            closed.set(true);
            for (Future<?> w : writers) w.get(60, TimeUnit.SECONDS);
        } finally {
            pool.shutdownNow();
        }
        assertThat(refused.get()).isGreaterThanOrEqualTo(8);
        long revenue = snapshot(month).stream()
                .filter(r -> r.get("org_id").equals(m.org()) && r.get("account").equals("revenue"))
                .mapToLong(r -> (Long) r.get("closing"))
                .sum();
        assertThat(revenue).as("every committed debit is in the snapshot").isEqualTo(debited.get());
        assertThat(ledger.balance(m.org(), Account.REVENUE)).isEqualTo(debited.get());
        assertThat(periods.report(month, null).unchanged()).isTrue();
    }

    @Test
    void disputeStatesMatchTheCheck() {
        assertThat(dev.gatehouse.support.CheckConstraints.literals(
                        db, "credit_disputes", "credit_disputes_state_check"))
                .isEqualTo(java.util.Arrays.stream(Disputes.State.values())
                        .map(Disputes.State::wire)
                        .collect(java.util.stream.Collectors.toSet()));
    }

    /**
     * Thousands of random operations over several months (grants, debits, disputes refunded or rejected,
     * corrections, closes), each month closed when the next begins. After every step: every transaction sums to
     * zero, cached balances equal the entries, no available balance below zero, and every closed month's snapshot
     * and entries are exactly what they were at its close.
     */
    @Test
    void randomOperationsKeepTheInvariantsAndClosedMonthsNeverChange() {
        Random random = new Random(42);
        YearMonth first = nextOpenMonth();
        List<UUID> orgs = List.of(
                member("random-a").org(),
                member("random-b").org(),
                member("random-c").org());
        Caller operator = new Caller(UUID.randomUUID(), null, Set.of(PlatformRole.ADMIN), null);
        Map<YearMonth, List<Map<String, Object>>> closedSnapshots = new HashMap<>();
        Map<YearMonth, LedgerPeriods.Fingerprint> closedFingerprints = new HashMap<>();
        List<UUID> charges = new ArrayList<>();
        List<UUID> openDisputes = new ArrayList<>();
        int steps = 0;
        for (int mi = 0; mi < 4; mi++) {
            YearMonth month = first.plusMonths(mi);
            for (int i = 0; i < 500; i++, steps++) {
                Instant at = at(month, 1 + random.nextInt(27)).plusSeconds(random.nextInt(3_600));
                UUID org = orgs.get(random.nextInt(orgs.size()));
                int op = random.nextInt(10);
                try {
                    if (op < 3) {
                        grantAt(org, 1 + random.nextInt(20_000_000), at);
                    } else if (op < 7) {
                        charges.add(debitAt(org, 1 + random.nextInt(5_000_000), at));
                    } else if (op < 8 && !charges.isEmpty()) {
                        UUID charge = charges.get(random.nextInt(charges.size()));
                        UUID owner = db.sql("select org_id from credit_transactions where id = :id")
                                .param("id", charge)
                                .query(UUID.class)
                                .single();
                        openDisputes.add(disputes.open(owner, charge, null, "random", operator, at)
                                .id());
                    } else if (op < 9 && !openDisputes.isEmpty()) {
                        UUID d = openDisputes.remove(random.nextInt(openDisputes.size()));
                        boolean refund = random.nextBoolean();
                        disputes.resolve(
                                d,
                                refund ? Disputes.Decision.REFUND : Disputes.Decision.REJECT,
                                null,
                                refund ? null : "no",
                                operator,
                                null,
                                at);
                    } else if (!closedSnapshots.isEmpty()) {
                        YearMonth closed = closedSnapshots.keySet().iterator().next();
                        long amount = random.nextBoolean() ? 1_000_000 : -1_000;
                        periods.correct(closed, org, amount, "random correction", operator, null, at);
                    }
                } catch (dev.gatehouse.platform.ApiException refused) {
                    // 402 (too little to debit), 409 (already disputed), 422 (nothing left to dispute): refusals
                    // that changed nothing, as the invariants below check.
                }
                if (i % 25 == 0 || i == 499) check(orgs, closedSnapshots, closedFingerprints);
            }
            // The month ends: close it. Its snapshot and entries must never change again.
            Instant nextMonth = at(month.plusMonths(1), 1);
            LedgerPeriods.Closed c = periods.close(month, operator, nextMonth);
            assertThat(c.closedNow()).isTrue();
            closedSnapshots.put(month, snapshot(month));
            closedFingerprints.put(
                    month, periods.fingerprint(c.period().startsAt(), c.period().endsAt()));
            // A posting dated in it is refused.
            assertThatThrownBy(() -> grantAt(orgs.get(0), 1, at(month, 15))).isInstanceOf(DataAccessException.class);
            check(orgs, closedSnapshots, closedFingerprints);
        }
        assertThat(steps).isGreaterThanOrEqualTo(2_000);
        // Every closed month's closing balance is the next one's opening.
        for (int mi = 1; mi < 4; mi++) {
            YearMonth month = first.plusMonths(mi);
            for (Map<String, Object> row : closedSnapshots.get(month)) {
                long opening = (Long) row.get("opening");
                long previousClosing = closedSnapshots.get(month.minusMonths(1)).stream()
                        .filter(p -> p.get("org_id").equals(row.get("org_id"))
                                && p.get("account").equals(row.get("account")))
                        .mapToLong(p -> (Long) p.get("closing"))
                        .sum();
                assertThat(opening).isEqualTo(previousClosing);
            }
        }
    }

    private void check(
            List<UUID> orgs,
            Map<YearMonth, List<Map<String, Object>>> closedSnapshots,
            Map<YearMonth, LedgerPeriods.Fingerprint> closedFingerprints) {
        for (UUID org : orgs) {
            assertThat(drift.differences(org))
                    .as("cached balances equal the entries")
                    .isEmpty();
            assertThat(db.sql("""
                            select count(*) from (select transaction_id from credit_entries where org_id = :org
                                                  group by transaction_id having sum(amount) <> 0) t
                            """).param("org", org).query(Long.class).single())
                    .as("every transaction sums to zero")
                    .isZero();
            assertThat(ledger.balance(org, Account.AVAILABLE))
                    .as("no available balance below zero")
                    .isGreaterThanOrEqualTo(0);
        }
        closedSnapshots.forEach((month, rows) -> {
            assertThat(snapshot(month)).as("the snapshot of " + month).isEqualTo(rows);
            LedgerPeriods.Fingerprint f = closedFingerprints.get(month);
            assertThat(periods.fingerprint(LedgerPeriods.start(month), LedgerPeriods.end(month)))
                    .as("the entries of " + month)
                    .isEqualTo(f);
            assertThat(periods.report(month, null).unchanged()).isTrue();
        });
    }
}
