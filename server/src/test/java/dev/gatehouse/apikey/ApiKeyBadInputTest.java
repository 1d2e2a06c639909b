package dev.gatehouse.apikey;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.support.Http;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.Supplier;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Every key route refuses bad input with a 4xx problem that says what is wrong: never a 500, never a default. */
class ApiKeyBadInputTest extends ApiKeyEndToEndTest {

    private static User owner;
    private static String service;
    private static String serviceId;

    @BeforeEach
    void once() {
        if (owner != null) return;
        owner = user("keys-bad-input");
        var created = serviceKey("bad-input backend");
        service = created.get("key").asString();
        serviceId = created.get("id").asString();
    }

    private static void assertInvalidField(Http.Response r, String field) {
        assertProblem(r, 400, "validation_failed");
        assertThat(r.json().get("errors"))
                .as(r.toString())
                .anySatisfy(e -> assertThat(e.get("field").asString()).isEqualTo(field));
    }

    /** The same field errors from the org route and the admin route, which share the new-key body. */
    private void forBothCreateRoutes(String raw, Function<Http.Response, Void> check) {
        String admin = admin();
        check.apply(http.post(apiKeys(owner.personalOrg()))
                .bearer(owner.token())
                .body(raw)
                .send());
        check.apply(http.post(SERVICE_KEYS).bearer(admin).body(raw).send());
    }

    private void assertFieldOnBoth(String raw, String field) {
        forBothCreateRoutes(raw, r -> {
            assertInvalidField(r, field);
            return null;
        });
    }

    @Test
    void everyRouteNeedsACaller() {
        String org = apiKeys(UUID.randomUUID());
        String some = UUID.randomUUID().toString();
        List<Supplier<Http.Request>> routes = List.of(
                () -> http.get(org),
                () -> http.post(org).json("name", "x"),
                () -> http.delete(org + "/" + some),
                () -> http.get(SERVICE_KEYS),
                () -> http.post(SERVICE_KEYS).json("name", "x"),
                () -> http.delete(SERVICE_KEYS + "/" + some),
                () -> http.post(SERVICE_KEYS + "/" + some + "/rotate"),
                () -> http.post(VERIFY).json("key", "gh_pk_x"));
        for (Supplier<Http.Request> route : routes) {
            assertProblem(route.get().send(), 401, "unauthenticated");
            assertProblem(route.get().bearer("not.a.token").send(), 401, "invalid_token");
        }
    }

    @Test
    void badIdsInPathsAreInvalidParameters() {
        String admin = admin();
        assertProblem(
                http.get("/api/v1/orgs/not-a-uuid/api-keys")
                        .bearer(owner.token())
                        .send(),
                400,
                "invalid_parameter");
        assertProblem(
                http.post("/api/v1/orgs/123/api-keys")
                        .bearer(owner.token())
                        .json("name", "x")
                        .send(),
                400,
                "invalid_parameter");
        assertProblem(
                http.delete(apiKeys(owner.personalOrg()) + "/nope")
                        .bearer(owner.token())
                        .send(),
                400,
                "invalid_parameter");
        assertProblem(http.delete(SERVICE_KEYS + "/nope").bearer(admin).send(), 400, "invalid_parameter");
        assertProblem(http.post(SERVICE_KEYS + "/nope/rotate").bearer(admin).send(), 400, "invalid_parameter");
        assertProblem(
                http.delete(apiKeys(owner.personalOrg()) + "/" + UUID.randomUUID())
                        .bearer(owner.token())
                        .send(),
                404,
                "not_found");
        assertProblem(
                http.post(SERVICE_KEYS + "/" + UUID.randomUUID() + "/rotate")
                        .bearer(admin)
                        .send(),
                404,
                "not_found");
    }

    @Test
    void newKeyBodiesAreCheckedFieldByField() {
        assertFieldOnBoth("{}", "name");
        assertFieldOnBoth("{\"name\":null}", "name");
        assertFieldOnBoth("{\"name\":\"\"}", "name");
        assertFieldOnBoth("{\"name\":\"   \"}", "name");
        assertFieldOnBoth("{\"name\":\"tab\\there\"}", "name");
        assertFieldOnBoth(Http.json("name", "n".repeat(101)), "name");
        assertFieldOnBoth("{\"name\":12}", "name");
        assertFieldOnBoth("{\"name\":\"ok\",\"extra\":1}", "extra");
        assertFieldOnBoth("{\"name\":\"ok\",\"org_id\":\"" + UUID.randomUUID() + "\"}", "org_id");

        assertFieldOnBoth("{\"name\":\"ok\",\"scopes\":\"read\"}", "scopes");
        assertFieldOnBoth("{\"name\":\"ok\",\"scopes\":[1]}", "scopes[0]");
        assertFieldOnBoth("{\"name\":\"ok\",\"scopes\":[null]}", "scopes[0]");
        for (String bad : List.of("", "Read", "1read", "read:", ":read", "a::b", "usage-write", "usage write", "ü")) {
            assertFieldOnBoth(Http.json("name", "ok", "scopes", List.of("read", bad)), "scopes[1]");
        }
        assertFieldOnBoth(Http.json("name", "ok", "scopes", List.of("a".repeat(101))), "scopes[0]");
        List<String> many = new ArrayList<>();
        for (int i = 0; i < 21; i++) many.add("scope_" + i);
        assertFieldOnBoth(Http.json("name", "ok", "scopes", many), "scopes");
        assertFieldOnBoth(Http.json("name", "ok", "scopes", List.of("read", "write", "read")), "scopes");

        assertFieldOnBoth("{\"name\":\"ok\",\"expires_at\":\"tomorrow\"}", "expires_at");
        assertFieldOnBoth("{\"name\":\"ok\",\"expires_at\":true}", "expires_at");
        assertFieldOnBoth(
                Http.json(
                        "name",
                        "ok",
                        "expires_at",
                        clock.instant().minusSeconds(60).toString()),
                "expires_at");
        assertFieldOnBoth(Http.json("name", "ok", "expires_at", "2020-01-01T00:00:00Z"), "expires_at");
        assertFieldOnBoth(Http.json("name", "ok", "expires_at", "+10000-01-01T00:00:00Z"), "expires_at");

        forBothCreateRoutes("{\"name\":", r -> {
            assertProblem(r, 400, "malformed_json");
            return null;
        });
        forBothCreateRoutes("[\"name\"]", r -> {
            assertProblem(r, 400, "malformed_body");
            return null;
        });
        forBothCreateRoutes("{\"name\":\"a\",\"name\":\"b\"}", r -> {
            assertThat(r.status()).as(r.toString()).isEqualTo(400);
            return null;
        });
        String admin = admin();
        assertProblem(
                http.post(apiKeys(owner.personalOrg()))
                        .bearer(owner.token())
                        .header("Content-Type", "application/json")
                        .send(),
                400,
                "malformed_body");
        assertProblem(
                http.post(apiKeys(owner.personalOrg())).bearer(owner.token()).send(), 415, "unsupported_media_type");
        assertProblem(
                http.post(SERVICE_KEYS)
                        .bearer(admin)
                        .header("Content-Type", "text/plain")
                        .body("name=x")
                        .send(),
                415,
                "unsupported_media_type");
        // Nothing was created by any of it.
        assertThat(db.sql("select count(*) from api_keys where org_id = :org")
                        .param("org", owner.personalOrg())
                        .query(Integer.class)
                        .single())
                .isZero();
    }

    @Test
    void listParametersAreChecked() {
        String admin = admin();
        for (String path : List.of(apiKeys(owner.personalOrg()), SERVICE_KEYS)) {
            String token = path.equals(SERVICE_KEYS) ? admin : owner.token();
            assertProblem(http.get(path + "?limit=0").bearer(token).send(), 400, "validation_failed");
            assertProblem(http.get(path + "?limit=201").bearer(token).send(), 400, "validation_failed");
            assertProblem(http.get(path + "?limit=ten").bearer(token).send(), 400, "invalid_parameter");
            assertProblem(http.get(path + "?cursor=not-ours").bearer(token).send(), 400, "invalid_cursor");
            assertProblem(
                    http.get(path + "?cursor=" + "x".repeat(201)).bearer(token).send(), 400, "validation_failed");
        }
    }

    @Test
    void rotationBodiesAreChecked() {
        String admin = admin();
        String rotate = SERVICE_KEYS + "/" + serviceId + "/rotate";
        for (String raw : List.of(
                "{\"overlap_seconds\":-1}",
                "{\"overlap_seconds\":604801}",
                "{\"overlap_seconds\":\"60\"}",
                "{\"overlap_seconds\":1.5}",
                "{\"overlap_seconds\":true}")) {
            assertInvalidField(http.post(rotate).bearer(admin).body(raw).send(), "overlap_seconds");
        }
        assertInvalidField(
                http.post(rotate).bearer(admin).body("{\"overlap\":60}").send(), "overlap");
        assertProblem(http.post(rotate).bearer(admin).body("{").send(), 400, "malformed_json");
        // None of it rotated anything: the original secret is still the current one.
        assertThat(db.sql("select previous_hash is null from api_keys where id = :id")
                        .param("id", UUID.fromString(serviceId))
                        .query(Boolean.class)
                        .single())
                .isTrue();
    }

    @Test
    void verificationBodiesAreChecked() {
        assertInvalidField(http.post(VERIFY).bearer(service).body("{}").send(), "key");
        assertInvalidField(
                http.post(VERIFY).bearer(service).body("{\"key\":null}").send(), "key");
        assertInvalidField(
                http.post(VERIFY).bearer(service).body("{\"key\":42}").send(), "key");
        assertInvalidField(
                http.post(VERIFY)
                        .bearer(service)
                        .body("{\"key\":[\"gh_pk_x\"]}")
                        .send(),
                "key");
        assertInvalidField(
                http.post(VERIFY).bearer(service).json("key", "k".repeat(513)).send(), "key");
        assertInvalidField(
                http.post(VERIFY)
                        .bearer(service)
                        .body("{\"key\":\"gh_pk_x\",\"org\":\"x\"}")
                        .send(),
                "org");
        assertProblem(http.post(VERIFY).bearer(service).body("{\"key\":").send(), 400, "malformed_json");
        assertProblem(http.post(VERIFY).bearer(service).body("\"gh_pk_x\"").send(), 400, "malformed_body");
        assertProblem(
                http.post(VERIFY)
                        .bearer(service)
                        .header("Content-Type", "application/json")
                        .send(),
                400,
                "malformed_body");
        assertProblem(http.post(VERIFY).bearer(service).send(), 415, "unsupported_media_type");
        assertProblem(
                http.post(VERIFY)
                        .bearer(service)
                        .header("Content-Type", "text/plain")
                        .body("gh_pk_x")
                        .send(),
                415,
                "unsupported_media_type");
        assertProblem(http.get(VERIFY).bearer(service).send(), 405, "method_not_allowed");
        String huge = "{\"key\":\"" + String.join("", Collections.nCopies(1_100_000, "k")) + "\"}";
        assertProblem(http.post(VERIFY).bearer(service).body(huge).send(), 413, "payload_too_large");
        // Still answering normally afterwards.
        assertThat(verified(service, "gh_pk_x").get("code").asString()).isEqualTo("malformed_key");
    }
}
