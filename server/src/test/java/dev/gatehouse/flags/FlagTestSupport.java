package dev.gatehouse.flags;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.support.EndToEndTest;
import dev.gatehouse.support.Http;
import dev.gatehouse.support.TestAccounts;
import java.util.UUID;
import tools.jackson.databind.JsonNode;

/** Shared steps of the flags end-to-end tests: an admin token, a service key, flags made over HTTP. */
abstract class FlagTestSupport extends EndToEndTest {

    static final String FLAGS = "/api/v1/admin/flags";
    static final String KILL = "/api/v1/admin/kill-switches/";
    static final String EVALUATE = "/api/v1/flags/evaluate";

    private static String adminToken;
    private static String serviceSecret;

    String admin() {
        if (adminToken == null)
            adminToken = new TestAccounts(http, SMTP).admin().accessToken();
        return adminToken;
    }

    /** A service key's secret (made once per test JVM). */
    String service() {
        if (serviceSecret == null) {
            Http.Response r = http.post("/api/v1/admin/service-keys")
                    .bearer(admin())
                    .json("name", "flags backend")
                    .send();
            assertThat(r.status()).as(r.toString()).isEqualTo(201);
            serviceSecret = r.json().get("key").asString();
        }
        return serviceSecret;
    }

    static String unique(String prefix) {
        return prefix + "." + UUID.randomUUID().toString().substring(0, 8);
    }

    JsonNode create(String body) {
        Http.Response r = http.post(FLAGS).bearer(admin()).body(body).send();
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
        return r.json();
    }

    Http.Response evaluate(Http client, String contextJson) {
        return client.post(EVALUATE)
                .bearer(service())
                .body("{\"context\":" + contextJson + "}")
                .send();
    }

    /** The flag's answer for the context, which must be a 200. */
    JsonNode evaluated(Http client, String key, String contextJson) {
        Http.Response r = evaluate(client, contextJson);
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        JsonNode flag = r.json().get("flags").get(key);
        assertThat(flag).as("flag %s in %s", key, r).isNotNull();
        return flag;
    }

    boolean enabled(Http client, String key, String contextJson) {
        return evaluated(client, key, contextJson).get("enabled").asBoolean();
    }

    void killSwitch(String name, boolean active) {
        Http.Response r =
                http.post(KILL + name).bearer(admin()).json("active", active).send();
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertThat(r.json().get("active").asBoolean()).isEqualTo(active);
    }

    static void assertProblem(Http.Response r, int status, String code) {
        assertThat(r.status()).as(r.toString()).isEqualTo(status);
        assertThat(r.header("Content-Type")).as(r.toString()).startsWith("application/problem+json");
        assertThat(r.code()).as(r.toString()).isEqualTo(code);
    }
}
