package dev.gatehouse.metering;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.support.Http;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** GET /api/v1/orgs/{org}/entitlements: every feature and limit of the plan, with current use. */
class EntitlementsListTest extends MeteringEndToEndTest {

    private JsonNode entitlements(String token, UUID org) {
        Http.Response r =
                http.get("/api/v1/orgs/" + org + "/entitlements").bearer(token).send();
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        return r.json();
    }

    private static JsonNode limit(JsonNode view, String name) {
        return view.get("limits")
                .valueStream()
                .filter(l -> l.get("name").asString().equals(name))
                .findFirst()
                .orElseThrow();
    }

    @Test
    void listsEveryFeatureAndLimitWithUseRemainingAndReset() {
        User u = user("entitlements");
        String service = serviceKey();
        Http.Response consumed = http.post(CONSUME)
                .bearer(service)
                .json("org", u.org().toString(), "meter", "api_calls", "amount", 10)
                .send();
        assertThat(consumed.status()).as(consumed.toString()).isEqualTo(200);
        sent(
                service,
                List.of(
                        event("e-1", u.org(), "jobs"),
                        event("e-2", u.org(), "jobs"),
                        event("e-3", u.org(), "storage_mb", "value", 30),
                        event("e-4", u.org(), "active_users", "properties", java.util.Map.of("user_id", "a")),
                        event("e-5", u.org(), "active_users", "properties", java.util.Map.of("user_id", "b"))));

        JsonNode view = entitlements(u.token(), u.org());
        assertThat(view.get("plan").asString()).isEqualTo("free");
        assertThat(view.get("features").valueStream().map(f -> f.get("key").asString() + "=" + f.get("allowed")))
                .containsExactly(
                        "api_access=true",
                        "priority_support=false",
                        "custom_models=false",
                        "advanced_analytics=false",
                        "dedicated_support=false");

        JsonNode apiCalls = limit(view, "api_calls");
        assertThat(apiCalls.get("period").asString()).isEqualTo("day");
        assertThat(apiCalls.get("limit").asLong()).isEqualTo(1000);
        assertThat(apiCalls.get("used").asInt()).isEqualTo(10);
        assertThat(apiCalls.get("remaining").asInt()).isEqualTo(990);
        assertThat(Instant.parse(apiCalls.get("resets_at").asString()))
                .isEqualTo(today().plusDays(1).atStartOfDay().toInstant(ZoneOffset.UTC));
        JsonNode jobs = limit(view, "jobs");
        assertThat(jobs.get("period").asString()).isEqualTo("month");
        assertThat(jobs.get("used").asInt()).isEqualTo(2);
        assertThat(jobs.get("remaining").asInt()).isEqualTo(98);
        JsonNode storage = limit(view, "storage_mb");
        assertThat(storage.get("period").asString()).isEqualTo("none");
        assertThat(storage.get("used").asInt()).isEqualTo(30);
        assertThat(storage.get("remaining").asInt()).isEqualTo(70);
        assertThat(storage.has("resets_at")).isFalse();
        JsonNode activeUsers = limit(view, "active_users");
        assertThat(activeUsers.has("limit")).as("no plan limits it").isFalse();
        assertThat(activeUsers.get("used").asInt()).isEqualTo(2);
        JsonNode seats = limit(view, "seats");
        assertThat(seats.get("limit").asInt()).isEqualTo(3);
        assertThat(seats.get("used").asInt()).isEqualTo(1);
        JsonNode sessions = limit(view, "sessions");
        assertThat(sessions.get("scope").asString()).isEqualTo("user");
        assertThat(sessions.get("limit").asInt()).isEqualTo(3);
        assertThat(sessions.has("used")).isFalse();

        // The product's backend reads it too; an upgrade shows at once, with the use kept.
        Http.Response moved = http.post("/api/v1/admin/orgs/" + u.org() + "/subscription/override")
                .bearer(admin())
                .json("plan", "enterprise", "reason", "entitlements test")
                .send();
        assertThat(moved.status()).as(moved.toString()).isEqualTo(200);
        JsonNode upgraded = entitlements(service, u.org());
        assertThat(upgraded.get("plan").asString()).isEqualTo("enterprise");
        assertThat(upgraded.get("features")
                        .valueStream()
                        .allMatch(f -> f.get("allowed").asBoolean()))
                .isTrue();
        JsonNode unlimited = limit(upgraded, "api_calls");
        assertThat(unlimited.has("limit")).isFalse();
        assertThat(unlimited.has("remaining")).isFalse();
        assertThat(unlimited.get("used").asInt()).isEqualTo(10);
    }

    @Test
    void outsidersGet404AndNobodyElseReadsIt() {
        User owner = user("entitlements-owner");
        User outsider = user("entitlements-outsider");
        Http.Response asOutsider = http.get("/api/v1/orgs/" + owner.org() + "/entitlements")
                .bearer(outsider.token())
                .send();
        assertProblem(asOutsider, 404, "not_found");
        assertProblem(
                http.get("/api/v1/orgs/" + UUID.randomUUID() + "/entitlements")
                        .bearer(serviceKey())
                        .send(),
                404,
                "not_found");
        assertProblem(http.get("/api/v1/orgs/" + owner.org() + "/entitlements").send(), 401, "unauthenticated");
    }
}
