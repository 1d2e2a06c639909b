package dev.gatehouse.onboarding;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.support.EndToEndTest;
import dev.gatehouse.support.Http;
import dev.gatehouse.support.TestAccounts;
import dev.gatehouse.support.TestClock;
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

/**
 * End-to-end tests of onboarding: real accounts, checklist versions installed through the admin API (each test
 * installs the version it needs, since the active version is shared by the whole app), gates checked with a real
 * service key.
 */
abstract class OnboardingEndToEndTest extends EndToEndTest {

    static final String ONBOARDING = "/api/v1/onboarding";
    static final String VERSIONS = "/api/v1/admin/onboarding/versions";
    static final String MIGRATE = "/api/v1/admin/onboarding/migrate-version";
    static final String GATES = "/api/v1/gates/check";

    @Autowired
    JdbcClient db;

    @Autowired
    TestClock clock;

    TestAccounts accounts;

    /** A signed-in user. */
    record User(String email, String token, UUID id) {}

    @BeforeEach
    void accounts() {
        accounts = new TestAccounts(http, SMTP);
    }

    @AfterEach
    void resetClock() {
        clock.reset();
    }

    User user(String prefix) {
        return signIn(accounts.create(prefix));
    }

    User signInAgain(User u) {
        return signIn(accounts.login(u.email(), TestAccounts.PASSWORD));
    }

    private User signIn(TestAccounts.Account a) {
        Http.Response me = http.get("/api/v1/me").bearer(a.accessToken()).send();
        assertThat(me.status()).as(me.toString()).isEqualTo(200);
        return new User(
                a.email(), a.accessToken(), UUID.fromString(me.json().get("id").asString()));
    }

    String admin() {
        return accounts.admin().accessToken();
    }

    /** A new service key's secret, for the gate checks. */
    String serviceKey() {
        Http.Response r = http.post("/api/v1/admin/service-keys")
                .bearer(admin())
                .json("name", "onboarding-test")
                .send();
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
        return r.json().get("key").asString();
    }

    /** A step definition as the admin API takes it; filters and gates are added with {@link #with}. */
    static Map<String, Object> step(String key, int weight, boolean required) {
        Map<String, Object> step = new LinkedHashMap<>();
        step.put("key", key);
        step.put("title", "Title of " + key);
        step.put("weight", weight);
        step.put("required", required);
        return step;
    }

    static Map<String, Object> with(Map<String, Object> step, String field, List<String> values) {
        Map<String, Object> copy = new LinkedHashMap<>(step);
        copy.put(field, values);
        return copy;
    }

    /** Creates a draft with these steps and returns its number. */
    int draft(String admin, List<Map<String, Object>> steps) {
        Http.Response r = http.post(VERSIONS)
                .bearer(admin)
                .json("description", "test version", "steps", steps)
                .send();
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
        return r.json().get("version").asInt();
    }

    Http.Response migrate(String admin, int version) {
        return http.post(MIGRATE).bearer(admin).json("version", version).send();
    }

    /** Creates a version with these steps and migrates everyone to it; returns its number. */
    int install(List<Map<String, Object>> steps) {
        String admin = admin();
        int version = draft(admin, steps);
        Http.Response r = migrate(admin, version);
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        return version;
    }

    Http.Response checklist(User u) {
        return checklist(u, "");
    }

    Http.Response checklist(User u, String query) {
        Http.Response r = http.get(ONBOARDING + query).bearer(u.token()).send();
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        return r;
    }

    /** The user's state of the step, from the checklist (with no market or role). */
    JsonNode stepOf(User u, String key) {
        return stepIn(checklist(u).json(), key);
    }

    static JsonNode stepIn(JsonNode checklist, String key) {
        return checklist
                .get("steps")
                .valueStream()
                .filter(s -> s.get("key").asString().equals(key))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no step " + key + " in " + checklist));
    }

    static List<String> keysIn(JsonNode checklist) {
        List<String> keys = new ArrayList<>();
        checklist.get("steps").forEach(s -> keys.add(s.get("key").asString()));
        return keys;
    }

    Http.Response change(User u, String key, String status, int rowVersion) {
        return http.patch(ONBOARDING + "/steps/" + key)
                .bearer(u.token())
                .json("status", status, "row_version", rowVersion)
                .send();
    }

    /** Changes the step from the row_version the checklist shows, expecting success. */
    JsonNode settle(User u, String key, String status) {
        Http.Response r =
                change(u, key, status, stepOf(u, key).get("row_version").asInt());
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        return r.json();
    }

    Http.Response gate(String serviceKey, UUID user, String gate, Object... more) {
        List<Object> body = new ArrayList<>(List.of("user", user.toString(), "gate", gate));
        body.addAll(List.of(more));
        return http.post(GATES).bearer(serviceKey).json(body.toArray()).send();
    }

    static void assertProblem(Http.Response r, int status, String code) {
        assertThat(r.status()).as(r.toString()).isEqualTo(status);
        assertThat(r.header("Content-Type")).as(r.toString()).startsWith("application/problem+json");
        assertThat(r.code()).as(r.toString()).isEqualTo(code);
    }
}
