package dev.gatehouse.metering;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.support.Http;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** An organization's API key with the usage:write scope sends its own organization's usage, and nothing more. */
class OrgKeyUsageTest extends MeteringEndToEndTest {

    private JsonNode orgKey(User owner, List<String> scopes) {
        Http.Response r = http.post("/api/v1/orgs/" + owner.org() + "/api-keys")
                .bearer(owner.token())
                .json("name", "product backend", "scopes", scopes)
                .send();
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
        return r.json();
    }

    @Test
    void anOrgKeyWithUsageWriteSendsItsOwnOrganizationsUsage() {
        User owner = user("org-key-usage");
        User other = user("org-key-other");
        String key = orgKey(owner, List.of("usage:write")).get("key").asString();
        JsonNode answer = sent(
                key,
                List.of(
                        event("ok-1", owner.org(), "api_calls"),
                        event("ok-2", other.org(), "api_calls"),
                        event("ok-3", owner.org(), "api_calls")));
        assertThat(statuses(answer)).containsExactly("accepted", "rejected", "accepted");
        assertThat(answer.get("results").get(1).get("code").asString()).isEqualTo("org_not_allowed");
        assertThat(usage(owner, "api_calls", "").get("total").asInt()).isEqualTo(2);
        assertThat(usage(other, "api_calls", "").has("total")).isFalse();
    }

    @Test
    void anOrgKeyWithoutTheScopeOrForAnyOtherRouteIsRefused() {
        User owner = user("org-key-refused");
        String unscoped = orgKey(owner, List.of("read")).get("key").asString();
        Http.Response noScope = send(http, unscoped, List.of(event("x-1", owner.org(), "api_calls")));
        assertProblem(noScope, 403, "forbidden");
        assertThat(noScope.json().get("scope").asString()).isEqualTo("usage:write");

        JsonNode created = orgKey(owner, List.of("usage:write"));
        String key = created.get("key").asString();
        assertProblem(
                http.post(CONSUME)
                        .bearer(key)
                        .json("org", owner.org().toString(), "meter", "api_calls")
                        .send(),
                403,
                "forbidden");
        assertProblem(http.get("/api/v1/me").bearer(key).send(), 403, "forbidden");
        assertProblem(
                http.get("/api/v1/orgs/" + owner.org() + "/usage").bearer(key).send(), 403, "forbidden");

        Http.Response revoked = http.delete("/api/v1/orgs/" + owner.org() + "/api-keys/"
                        + created.get("id").asString())
                .bearer(owner.token())
                .send();
        assertThat(revoked.status()).as(revoked.toString()).isEqualTo(204);
        assertProblem(send(http, key, List.of(event("x-2", owner.org(), "api_calls"))), 401, "invalid_token");
        String madeUp = "gh_pk_" + "A".repeat(43);
        assertProblem(send(http, madeUp, List.of(event("x-3", owner.org(), "api_calls"))), 401, "invalid_token");
        assertThat(db.sql("select count(*) from usage_events where org_id = :org")
                        .param("org", owner.org())
                        .query(Long.class)
                        .single())
                .isZero();
    }
}
