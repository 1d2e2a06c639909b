package dev.gatehouse.metering;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.support.EndToEndTest;
import dev.gatehouse.support.Http;
import dev.gatehouse.support.TestAccounts;
import dev.gatehouse.support.TestCatalog;
import dev.gatehouse.support.TestClock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/** End-to-end tests of metering: real accounts and organizations, a real service key, usage over HTTP. */
abstract class MeteringEndToEndTest extends EndToEndTest {

    static final String EVENTS = "/api/v1/usage/events";
    static final String CONSUME = "/api/v1/quotas/consume";

    @Autowired
    JdbcClient db;

    @Autowired
    TestClock clock;

    TestAccounts accounts;

    /** A signed-in user and their personal organization. */
    record User(String email, String token, UUID id, UUID org) {}

    /**
     * The shipped catalog's meters (api_calls and jobs count, storage_mb is the latest value, active_users a
     * unique count) plus one of each remaining aggregation, so that every aggregation is tested on a real catalog.
     */
    static final String EXTRA_METERS = """
            meters:
              tokens:
                name: Tokens
                unit: token
                aggregation: sum
              peak_concurrency:
                name: Peak concurrency
                unit: request
                aggregation: max
            """;

    @BeforeEach
    void accounts() {
        accounts = new TestAccounts(http, SMTP);
        TestCatalog.write(TestCatalog.shipped().replaceFirst("\nmeters:\n", "\n" + EXTRA_METERS));
        reloadCatalog();
    }

    @AfterEach
    void resetClockAndCatalog() {
        clock.reset();
        TestCatalog.restore();
        reloadCatalog();
    }

    void reloadCatalog() {
        Http.Response r =
                http.post("/api/v1/admin/catalog/reload").bearer(admin()).send();
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
    }

    User user(String prefix) {
        TestAccounts.Account a = accounts.create(prefix);
        Http.Response me = http.get("/api/v1/me").bearer(a.accessToken()).send();
        Http.Response orgs = http.get("/api/v1/orgs").bearer(a.accessToken()).send();
        JsonNode personal = orgs.json()
                .get("data")
                .valueStream()
                .filter(o -> o.get("personal").asBoolean())
                .findFirst()
                .orElseThrow();
        return new User(
                a.email(),
                a.accessToken(),
                UUID.fromString(me.json().get("id").asString()),
                UUID.fromString(personal.get("id").asString()));
    }

    String admin() {
        return accounts.admin().accessToken();
    }

    /** A new service key's secret. */
    String serviceKey() {
        Http.Response r = http.post("/api/v1/admin/service-keys")
                .bearer(admin())
                .json("name", "backend " + UUID.randomUUID().toString().substring(0, 8))
                .send();
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
        return r.json().get("key").asString();
    }

    /** One event as a map, with alternating extra members and values. */
    static Map<String, Object> event(String id, UUID org, String meter, Object... more) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("id", id);
        e.put("org", org.toString());
        e.put("meter", meter);
        for (int i = 0; i < more.length; i += 2) e.put((String) more[i], more[i + 1]);
        return e;
    }

    Http.Response send(Http client, String serviceKey, List<Map<String, Object>> events) {
        return client.post(EVENTS).bearer(serviceKey).json("events", events).send();
    }

    /** Sends the batch and returns the answer, which must be a 200. */
    JsonNode sent(String serviceKey, List<Map<String, Object>> events) {
        Http.Response r = send(http, serviceKey, events);
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        return r.json();
    }

    /** The statuses of the answer's results, in order. */
    static List<String> statuses(JsonNode answer) {
        List<String> statuses = new ArrayList<>();
        answer.get("results").forEach(r -> statuses.add(r.get("status").asString()));
        return statuses;
    }

    /** The organization's usage of one meter, read as a member. */
    JsonNode usage(User member, String meter, String query) {
        Http.Response r = http.get("/api/v1/orgs/" + member.org() + "/usage?meter=" + meter + query)
                .bearer(member.token())
                .send();
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        JsonNode meters = r.json().get("meters");
        assertThat(meters.size()).isEqualTo(1);
        return meters.get(0);
    }

    LocalDate today() {
        return LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
    }

    static void assertProblem(Http.Response r, int status, String code) {
        assertThat(r.status()).as(r.toString()).isEqualTo(status);
        assertThat(r.header("Content-Type")).as(r.toString()).startsWith("application/problem+json");
        assertThat(r.code()).as(r.toString()).isEqualTo(code);
    }
}
