package dev.gatehouse.metering;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.support.Http;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Who reads an organization's usage, and the range rules of the usage report. */
class OrgUsageTest extends MeteringEndToEndTest {

    private Http.Response read(String token, UUID org, String query) {
        return http.get("/api/v1/orgs/" + org + "/usage" + query).bearer(token).send();
    }

    @Test
    void membersTheBackendAndSupportReadItOutsidersGet404() {
        User owner = user("usage-owner");
        User outsider = user("usage-outsider");
        String service = serviceKey();
        sent(service, List.of(event("u-1", owner.org(), "api_calls")));

        Http.Response asOwner = read(owner.token(), owner.org(), "");
        assertThat(asOwner.status()).as(asOwner.toString()).isEqualTo(200);
        JsonNode body = asOwner.json();
        assertThat(body.get("org").asString()).isEqualTo(owner.org().toString());
        assertThat(body.get("from").asString())
                .isEqualTo(today().withDayOfMonth(1).toString());
        assertThat(body.get("to").asString()).isEqualTo(today().toString());
        assertThat(body.get("group").asString()).isEqualTo("day");
        assertThat(body.get("meters").valueStream().map(m -> m.get("meter").asString()))
                .as("every meter of the catalog")
                .contains("api_calls", "tokens", "storage_mb", "active_users");

        Http.Response asBackend = read(service, owner.org(), "?meter=api_calls");
        assertThat(asBackend.status()).as(asBackend.toString()).isEqualTo(200);
        assertThat(asBackend.json().get("meters").get(0).get("total").asInt()).isEqualTo(1);

        assertProblem(read(outsider.token(), owner.org(), ""), 404, "not_found");
        assertProblem(read(outsider.token(), owner.org(), "?from=garbage"), 404, "not_found");
        assertProblem(read(service, UUID.randomUUID(), ""), 404, "not_found");
        assertProblem(http.get("/api/v1/orgs/" + owner.org() + "/usage").send(), 401, "unauthenticated");

        Http.Response asAdmin = http.get("/api/v1/admin/orgs/" + owner.org() + "/usage?meter=api_calls&group=none")
                .bearer(admin())
                .send();
        assertThat(asAdmin.status()).as(asAdmin.toString()).isEqualTo(200);
        assertThat(asAdmin.json().get("meters").get(0).get("total").asInt()).isEqualTo(1);
        assertProblem(
                http.get("/api/v1/admin/orgs/" + owner.org() + "/usage")
                        .bearer(owner.token())
                        .send(),
                403,
                "forbidden");
        assertProblem(
                http.get("/api/v1/admin/orgs/" + UUID.randomUUID() + "/usage")
                        .bearer(admin())
                        .send(),
                404,
                "not_found");
    }

    @Test
    void badRangesAndUnknownMetersAreRefused() {
        User owner = user("usage-ranges");
        UUID org = owner.org();
        assertProblem(read(owner.token(), org, "?from=2026-02-01&to=2026-01-01"), 400, "invalid_parameter");
        assertProblem(read(owner.token(), org, "?from=2024-01-01&to=2026-01-01"), 400, "invalid_parameter");
        assertProblem(read(owner.token(), org, "?group=week"), 400, "invalid_parameter");
        assertProblem(read(owner.token(), org, "?from=31-01-2026"), 400, "invalid_parameter");
        assertProblem(read(owner.token(), org, "?meter=nope"), 422, "unknown_meter");
        Http.Response empty = read(owner.token(), org, "?meter=tokens&from=2025-01-01&to=2025-12-31");
        assertThat(empty.status()).as(empty.toString()).isEqualTo(200);
        assertThat(empty.json().get("meters").get(0).has("total")).isFalse();
        assertThat(empty.json().get("meters").get(0).get("points").size()).isZero();
    }
}
