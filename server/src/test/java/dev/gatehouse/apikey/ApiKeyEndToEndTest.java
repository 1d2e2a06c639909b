package dev.gatehouse.apikey;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.support.EndToEndTest;
import dev.gatehouse.support.Http;
import dev.gatehouse.support.TestAccounts;
import dev.gatehouse.support.TestClock;
import java.util.Arrays;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/** End-to-end tests of API keys and service keys: real accounts, real organizations, verification over HTTP. */
abstract class ApiKeyEndToEndTest extends EndToEndTest {

    static final String VERIFY = "/api/v1/keys/verify";
    static final String SERVICE_KEYS = "/api/v1/admin/service-keys";

    @Autowired
    JdbcClient db;

    @Autowired
    TestClock clock;

    TestAccounts accounts;

    /** A signed-in user and their personal organization. */
    record User(String email, String token, UUID id, UUID personalOrg) {}

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

    /** A fresh access token, e.g. after the clock moved past the old one's expiry. */
    User signInAgain(User u) {
        return signIn(accounts.login(u.email(), TestAccounts.PASSWORD));
    }

    private User signIn(TestAccounts.Account a) {
        Http.Response me = http.get("/api/v1/me").bearer(a.accessToken()).send();
        assertThat(me.status()).as(me.toString()).isEqualTo(200);
        Http.Response orgs = http.get("/api/v1/orgs").bearer(a.accessToken()).send();
        assertThat(orgs.status()).as(orgs.toString()).isEqualTo(200);
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

    /** A fresh access token of the bootstrap superadmin. */
    String admin() {
        return accounts.admin().accessToken();
    }

    static String apiKeys(UUID orgId) {
        return "/api/v1/orgs/" + orgId + "/api-keys";
    }

    /** Creates an org API key with these extra fields (alternating names and values) and returns the answer. */
    JsonNode orgKey(User by, UUID orgId, String name, Object... fields) {
        Object[] body = Arrays.copyOf(new Object[] {"name", name}, 2 + fields.length);
        System.arraycopy(fields, 0, body, 2, fields.length);
        Http.Response r =
                http.post(apiKeys(orgId)).bearer(by.token()).json(body).send();
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
        return r.json();
    }

    /** Creates a service key as the superadmin and returns the answer (with the secret in {@code key}). */
    JsonNode serviceKey(String name, Object... fields) {
        Object[] body = Arrays.copyOf(new Object[] {"name", name}, 2 + fields.length);
        System.arraycopy(fields, 0, body, 2, fields.length);
        Http.Response r = http.post(SERVICE_KEYS).bearer(admin()).json(body).send();
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
        return r.json();
    }

    /** A new service key's secret. */
    String serviceSecret() {
        return serviceKey("backend " + UUID.randomUUID().toString().substring(0, 8))
                .get("key")
                .asString();
    }

    Http.Response verify(Http client, String serviceSecret, String key) {
        return client.post(VERIFY).bearer(serviceSecret).json("key", key).send();
    }

    Http.Response verify(String serviceSecret, String key) {
        return verify(http, serviceSecret, key);
    }

    /** Verifies and returns the answer, which must be a 200. */
    JsonNode verified(String serviceSecret, String key) {
        Http.Response r = verify(serviceSecret, key);
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        return r.json();
    }

    static void assertProblem(Http.Response r, int status, String code) {
        assertThat(r.status()).as(r.toString()).isEqualTo(status);
        assertThat(r.header("Content-Type")).as(r.toString()).startsWith("application/problem+json");
        assertThat(r.code()).as(r.toString()).isEqualTo(code);
    }
}
