package dev.gatehouse.admin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.support.EndToEndTest;
import dev.gatehouse.support.Http;
import dev.gatehouse.support.TestAccounts;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** GET /api/v1/admin/stats, read before and after changes whose effect on each figure is known. */
class PlatformStatsTest extends EndToEndTest {

    TestAccounts accounts;
    String admin;

    @BeforeEach
    void admin() {
        accounts = new TestAccounts(http, SMTP);
        admin = accounts.admin().accessToken();
    }

    JsonNode stats() {
        Http.Response r = http.get("/api/v1/admin/stats").bearer(admin).send();
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        return r.json();
    }

    static long at(JsonNode node, String... path) {
        JsonNode n = node;
        for (String p : path) {
            n = n.get(p);
            if (n == null) return 0;
        }
        return n.asLong();
    }

    static BigDecimal usd(JsonNode stats) {
        for (JsonNode m : stats.get("mrr")) {
            if (m.get("currency").asString().equals("USD"))
                return m.get("amount").decimalValue();
        }
        return BigDecimal.ZERO;
    }

    @Test
    void accountsOrganizationsRevenueAndTodaysEventsAddUp() {
        JsonNode before = stats();
        TestAccounts.Account account = accounts.create("stats");
        Http.Response me = http.get("/api/v1/me").bearer(account.accessToken()).send();
        UUID userId = UUID.fromString(me.json().get("id").asString());
        UUID org = UUID.fromString(http.get("/api/v1/orgs")
                .bearer(account.accessToken())
                .send()
                .json()
                .get("data")
                .get(0)
                .get("id")
                .asString());

        JsonNode registered = stats();
        assertThat(at(registered, "users", "total") - at(before, "users", "total"))
                .isEqualTo(1);
        assertThat(at(registered, "users", "active") - at(before, "users", "active"))
                .isEqualTo(1);
        assertThat(at(registered, "organizations", "total") - at(before, "organizations", "total"))
                .isEqualTo(1);
        assertThat(at(registered, "organizations", "by_plan", "free") - at(before, "organizations", "by_plan", "free"))
                .isEqualTo(1);

        Http.Response moved = http.post("/api/v1/admin/orgs/" + org + "/subscription/override")
                .bearer(admin)
                .json("plan", "pro", "reason", "stats test")
                .send();
        assertThat(moved.status()).as(moved.toString()).isEqualTo(200);
        Http.Response suspended = http.post("/api/v1/admin/users/" + userId + "/suspend")
                .bearer(admin)
                .send();
        assertThat(suspended.status()).as(suspended.toString()).isEqualTo(200);
        Http.Response created = http.post("/api/v1/admin/service-keys")
                .bearer(admin)
                .json("name", "stats backend")
                .send();
        String service = created.json().get("key").asString();
        List<Map<String, Object>> events = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            events.add(Map.of("id", "stats-" + i, "org", org.toString(), "meter", "api_calls"));
        }
        Http.Response sent = http.post("/api/v1/usage/events")
                .bearer(service)
                .json("events", events)
                .send();
        assertThat(sent.json().get("accepted").asInt()).as(sent.toString()).isEqualTo(5);

        JsonNode after = stats();
        assertThat(at(after, "users", "suspended") - at(registered, "users", "suspended"))
                .isEqualTo(1);
        assertThat(at(after, "users", "active") - at(registered, "users", "active"))
                .isEqualTo(-1);
        assertThat(at(after, "users", "total")).isEqualTo(at(registered, "users", "total"));
        assertThat(at(after, "organizations", "by_plan", "pro") - at(registered, "organizations", "by_plan", "pro"))
                .isEqualTo(1);
        assertThat(usd(after).subtract(usd(registered))).isEqualByComparingTo("19.99");
        assertThat(at(after, "usage", "events_today") - at(registered, "usage", "events_today"))
                .isEqualTo(5);
        assertThat(after.get("usage").get("day").asString()).hasSize(10);
    }

    @Test
    void onlySupportAndAdminsReadThem() {
        String user = accounts.create("stats-user").accessToken();
        Http.Response r = http.get("/api/v1/admin/stats").bearer(user).send();
        assertThat(r.status()).as(r.toString()).isEqualTo(403);
        assertThat(http.get("/api/v1/admin/stats").send().status()).isEqualTo(401);
    }
}
