package dev.gatehouse.credits;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.support.EndToEndTest;
import dev.gatehouse.support.Http;
import dev.gatehouse.support.Poll;
import dev.gatehouse.support.TestAccounts;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The credit routes over HTTP against the running app: real accounts, a real service key, the plan's monthly
 * grant arriving through the subscription module's event, holds, settlements, releases, debits, idempotent
 * replays, members' views, admins' grants and adjustments, and who may see what.
 */
class CreditsEndToEndTest extends EndToEndTest {

    private TestAccounts accounts;

    /** A signed-in user and their personal organization. */
    record User(String token, UUID org) {}

    @BeforeEach
    void accounts() {
        accounts = new TestAccounts(http, SMTP);
    }

    private User user(String prefix) {
        TestAccounts.Account a = accounts.create(prefix);
        JsonNode orgs = http.get("/api/v1/orgs").bearer(a.accessToken()).send().json();
        JsonNode personal = orgs.get("data")
                .valueStream()
                .filter(o -> o.get("personal").asBoolean())
                .findFirst()
                .orElseThrow();
        return new User(a.accessToken(), UUID.fromString(personal.get("id").asString()));
    }

    private String admin() {
        return accounts.admin().accessToken();
    }

    private String serviceKey() {
        Http.Response r = http.post("/api/v1/admin/service-keys")
                .bearer(admin())
                .json("name", "credits backend " + UUID.randomUUID().toString().substring(0, 8))
                .send();
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
        return r.json().get("key").asString();
    }

    /** The member's view of the organization's credits once the plan's monthly grant has arrived. */
    private JsonNode creditsAfterPlanGrant(User u) {
        return Poll.until(Duration.ofSeconds(30), "the free plan's monthly grant", () -> {
            Http.Response r = http.get("/api/v1/orgs/" + u.org() + "/credits")
                    .bearer(u.token())
                    .send();
            assertThat(r.status()).as(r.toString()).isEqualTo(200);
            boolean granted = r.json()
                    .get("blocks")
                    .valueStream()
                    .anyMatch(b -> b.get("source").asString().equals("plan"));
            return granted ? r.json() : null;
        });
    }

    private static BigDecimal dec(JsonNode n) {
        return n.decimalValue();
    }

    @Test
    void unitAndEstimates() {
        Http.Response unit = http.get("/api/v1/credits/unit").send();
        assertThat(unit.status()).as(unit.toString()).isEqualTo(200);
        assertThat(unit.json().get("tokens_per_credit").asLong()).isEqualTo(1000);
        assertThat(unit.json().get("reference_model").asString()).isEqualTo("gpt-4o-mini");

        User u = user("estimate");
        Http.Response byTokens = http.post("/api/v1/credits/estimate")
                .bearer(u.token())
                .json("model", "gpt-4o-mini", "input_tokens", 1500, "output_tokens", 250)
                .send();
        assertThat(byTokens.status()).as(byTokens.toString()).isEqualTo(200);
        assertThat(dec(byTokens.json().get("credits"))).isEqualByComparingTo("2.5");
        Http.Response byText = http.post("/api/v1/credits/estimate")
                .bearer(u.token())
                .json("model", "gpt-4o-mini", "text", "Hello, world!")
                .send();
        assertThat(byText.json().get("input_tokens").asLong()).isEqualTo(4);
        assertThat(dec(byText.json().get("credits"))).isEqualByComparingTo("0.004");
        Http.Response unknown = http.post("/api/v1/credits/estimate")
                .bearer(u.token())
                .json("model", "nope", "input_tokens", 1)
                .send();
        assertThat(unknown.status()).isEqualTo(422);
        assertThat(unknown.code()).isEqualTo("unknown_model");
    }

    @Test
    void reserveSettleReleaseAndDebitOverHttp() {
        User u = user("flows");
        String service = serviceKey();
        JsonNode start = creditsAfterPlanGrant(u);
        BigDecimal available = dec(start.get("available"));
        assertThat(available).isEqualByComparingTo("100");

        Http.Response held = http.post("/api/v1/credits/reservations")
                .bearer(service)
                .header("Idempotency-Key", "r-" + UUID.randomUUID())
                .json("org", u.org().toString(), "amount", 30, "user", "u-1")
                .send();
        assertThat(held.status()).as(held.toString()).isEqualTo(201);
        assertThat(held.header("Credits-Remaining")).isEqualTo("70");
        String id = held.json().get("id").asString();

        Http.Response settled = http.post("/api/v1/credits/reservations/" + id + "/settle")
                .bearer(service)
                .json("model", "gpt-4o-mini", "input_tokens", 10_000, "output_tokens", 1_000, "user", "u-1")
                .send();
        assertThat(settled.status()).as(settled.toString()).isEqualTo(200);
        assertThat(settled.json().get("state").asString()).isEqualTo("settled");
        assertThat(dec(settled.json().get("settled_amount"))).isEqualByComparingTo("14");
        assertThat(dec(settled.json().get("available"))).isEqualByComparingTo("86");

        Http.Response again = http.post("/api/v1/credits/reservations/" + id + "/release")
                .bearer(service)
                .send();
        assertThat(again.status()).isEqualTo(409);
        assertThat(again.code()).isEqualTo("reservation_not_held");

        String other = http.post("/api/v1/credits/reservations")
                .bearer(service)
                .json("org", u.org().toString(), "amount", 10, "ttl_seconds", 60)
                .send()
                .json()
                .get("id")
                .asString();
        Http.Response released = http.post("/api/v1/credits/reservations/" + other + "/release")
                .bearer(service)
                .send();
        assertThat(released.json().get("state").asString()).isEqualTo("released");

        // A direct debit that crosses the free plan's 20 PT threshold warns in the headers.
        Http.Response debit = http.post("/api/v1/credits/debits")
                .bearer(service)
                .json("org", u.org().toString(), "amount", 70.5)
                .send();
        assertThat(debit.status()).as(debit.toString()).isEqualTo(201);
        assertThat(debit.header("Credits-Remaining")).isEqualTo("15.5");
        assertThat(debit.header("Credits-Warning")).isEqualTo("low_balance; threshold=20");

        Http.Response tooMuch = http.post("/api/v1/credits/reservations")
                .bearer(service)
                .json("org", u.org().toString(), "amount", 1000)
                .send();
        assertThat(tooMuch.status()).isEqualTo(402);
        assertThat(tooMuch.code()).isEqualTo("insufficient_credits");
        assertThat(dec(tooMuch.json().get("available"))).isEqualByComparingTo("15.5");
        assertThat(tooMuch.json().get("top_up_url").asString()).endsWith("/billing/credits");

        Http.Response tooLong = http.post("/api/v1/credits/reservations")
                .bearer(service)
                .json("org", u.org().toString(), "amount", 1, "ttl_seconds", 90_000)
                .send();
        assertThat(tooLong.status()).isEqualTo(400);
        Http.Response badAmount = http.post("/api/v1/credits/debits")
                .bearer(service)
                .json("org", u.org().toString(), "amount", 0.0000001)
                .send();
        assertThat(badAmount.status()).isEqualTo(400);
        Http.Response noOrg = http.post("/api/v1/credits/debits")
                .bearer(service)
                .json("org", UUID.randomUUID().toString(), "amount", 1)
                .send();
        assertThat(noOrg.status()).isEqualTo(404);

        JsonNode after = http.get("/api/v1/orgs/" + u.org() + "/credits")
                .bearer(u.token())
                .send()
                .json();
        assertThat(dec(after.get("available"))).isEqualByComparingTo("15.5");
        assertThat(dec(after.get("held"))).isZero();
    }

    @Test
    void aRetryWithTheSameKeyIsReplayedAndAnotherRequestUnderItIsRefused() {
        User u = user("replay");
        String service = serviceKey();
        creditsAfterPlanGrant(u);
        String key = "k-" + UUID.randomUUID();
        Http.Response first = http.post("/api/v1/credits/reservations")
                .bearer(service)
                .header("Idempotency-Key", key)
                .json("org", u.org().toString(), "amount", 5)
                .send();
        Http.Response second = http.post("/api/v1/credits/reservations")
                .bearer(service)
                .header("Idempotency-Key", key)
                .json("org", u.org().toString(), "amount", 5)
                .send();
        assertThat(second.status()).isEqualTo(201);
        assertThat(second.header("Idempotent-Replayed")).isEqualTo("true");
        assertThat(second.json().get("id").asString())
                .isEqualTo(first.json().get("id").asString());
        Http.Response reused = http.post("/api/v1/credits/reservations")
                .bearer(service)
                .header("Idempotency-Key", key)
                .json("org", u.org().toString(), "amount", 6)
                .send();
        assertThat(reused.status()).isEqualTo(422);
        assertThat(reused.code()).isEqualTo("idempotency_key_reused");
        JsonNode credits = http.get("/api/v1/orgs/" + u.org() + "/credits")
                .bearer(u.token())
                .send()
                .json();
        assertThat(dec(credits.get("held"))).as("held once").isEqualByComparingTo("5");
    }

    @Test
    void membersPageThroughEntriesAndAdminsGrantAndAdjustWithAReason() {
        User u = user("entries");
        creditsAfterPlanGrant(u);
        String admin = admin();
        Http.Response granted = http.post("/api/v1/admin/orgs/" + u.org() + "/credits/grants")
                .bearer(admin)
                .json("amount", 25.5, "reason", "launch promo", "priority", 0, "reference", "promo-" + u.org())
                .send();
        assertThat(granted.status()).as(granted.toString()).isEqualTo(201);
        assertThat(dec(granted.json().get("available"))).isEqualByComparingTo("125.5");
        Http.Response repeated = http.post("/api/v1/admin/orgs/" + u.org() + "/credits/grants")
                .bearer(admin)
                .json("amount", 25.5, "reason", "launch promo", "priority", 0, "reference", "promo-" + u.org())
                .send();
        assertThat(repeated.json().get("existed").asBoolean()).isTrue();
        Http.Response adjusted = http.post("/api/v1/admin/orgs/" + u.org() + "/credits/adjustments")
                .bearer(admin)
                .json("amount", -20, "reason", "duplicate promo")
                .send();
        assertThat(adjusted.status()).as(adjusted.toString()).isEqualTo(201);
        assertThat(dec(adjusted.json().get("available"))).isEqualByComparingTo("105.5");
        Http.Response noReason = http.post("/api/v1/admin/orgs/" + u.org() + "/credits/adjustments")
                .bearer(admin)
                .json("amount", 5)
                .send();
        assertThat(noReason.status()).isEqualTo(400);

        // Three entries so far (plan grant, promo grant, adjustment): two pages of two.
        Set<String> seen = new HashSet<>();
        Http.Response page1 = http.get("/api/v1/orgs/" + u.org() + "/credits/entries?limit=2")
                .bearer(u.token())
                .send();
        assertThat(page1.status()).as(page1.toString()).isEqualTo(200);
        assertThat(page1.json().get("data").size()).isEqualTo(2);
        assertThat(page1.json().get("data").get(0).get("kind").asString()).isEqualTo("adjustment");
        assertThat(page1.json().get("data").get(0).get("reason").asString()).isEqualTo("duplicate promo");
        page1.json().get("data").forEach(e -> seen.add(e.get("id").asString()));
        String cursor = page1.json().get("next_cursor").asString();
        Http.Response page2 = http.get("/api/v1/orgs/" + u.org() + "/credits/entries?limit=2&cursor=" + cursor)
                .bearer(u.token())
                .send();
        page2.json().get("data").forEach(e -> seen.add(e.get("id").asString()));
        assertThat(seen).hasSize(3);
        assertThat(page2.json().path("next_cursor").isMissingNode()).isTrue();

        Http.Response drift =
                http.post("/api/v1/admin/ledger/drift-check").bearer(admin).send();
        assertThat(drift.status()).as(drift.toString()).isEqualTo(200);
        assertThat(drift.json().get("drifts").size()).isZero();
        Http.Response adminView = http.get("/api/v1/admin/orgs/" + u.org() + "/credits")
                .bearer(admin)
                .send();
        assertThat(dec(adminView.json().get("available"))).isEqualByComparingTo("105.5");
    }

    @Test
    void outsidersGet404AndCallersWithoutThePermissionGet403() {
        User owner = user("owner");
        User outsider = user("outsider");
        for (String path : new String[] {"/credits", "/credits/entries"}) {
            Http.Response r = http.get("/api/v1/orgs/" + owner.org() + path)
                    .bearer(outsider.token())
                    .send();
            assertThat(r.status()).as(path + " " + r).isEqualTo(404);
        }
        // A signed-in user is not the product's backend, nor an admin.
        Http.Response reserve = http.post("/api/v1/credits/reservations")
                .bearer(owner.token())
                .json("org", owner.org().toString(), "amount", 1)
                .send();
        assertThat(reserve.status()).isEqualTo(403);
        Http.Response debit = http.post("/api/v1/credits/debits")
                .bearer(owner.token())
                .json("org", owner.org().toString(), "amount", 1)
                .send();
        assertThat(debit.status()).isEqualTo(403);
        Http.Response grant = http.post("/api/v1/admin/orgs/" + owner.org() + "/credits/grants")
                .bearer(owner.token())
                .json("amount", 1, "reason", "self-service")
                .send();
        assertThat(grant.status()).isEqualTo(403);
        Http.Response anonymous =
                http.get("/api/v1/orgs/" + owner.org() + "/credits").send();
        assertThat(anonymous.status()).isEqualTo(401);
        Http.Response unknownReservation = http.post("/api/v1/credits/reservations/" + UUID.randomUUID() + "/release")
                .bearer(serviceKey())
                .send();
        assertThat(unknownReservation.status()).isEqualTo(404);
    }
}
