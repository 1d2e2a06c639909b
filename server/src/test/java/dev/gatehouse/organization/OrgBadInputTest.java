package dev.gatehouse.organization;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.support.Http;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Every organization route refuses bad input with a 4xx problem: never a 500, never a silent default. */
class OrgBadInputTest extends OrgEndToEndTest {

    private static User owner;
    private static UUID orgId;

    @BeforeEach
    void ownerOnce() {
        if (owner != null) return;
        owner = user("bad-input");
        orgId = createOrg(owner, "Careful");
    }

    private Http.Request as(Http.Request request) {
        return request.bearer(owner.token());
    }

    /** Asserts a 400 validation problem that names the field. */
    private static void assertInvalidField(Http.Response r, String field) {
        assertProblem(r, 400, "validation_failed");
        assertThat(r.json().get("errors"))
                .as(r.toString())
                .anySatisfy(e -> assertThat(e.get("field").asString()).isEqualTo(field));
    }

    @Test
    void everyRouteNeedsABearerToken() {
        String some = UUID.randomUUID().toString();
        for (Http.Request request : List.of(
                http.get(ORGS),
                http.post(ORGS).json("name", "x"),
                http.get(ORGS + "/" + some),
                http.patch(ORGS + "/" + some).json("name", "x"),
                http.delete(ORGS + "/" + some),
                http.get(ORGS + "/" + some + "/members"),
                http.post(ORGS + "/" + some + "/members").json("email", "a@example.com", "role", "member"),
                http.patch(ORGS + "/" + some + "/members/" + some).json("role", "member"),
                http.delete(ORGS + "/" + some + "/members/" + some),
                http.post(ORGS + "/" + some + "/transfer-ownership").json("user_id", some),
                http.get(ORGS + "/" + some + "/invitations"),
                http.delete(ORGS + "/" + some + "/invitations/" + some),
                http.post("/api/v1/invitations/" + OrgInvitations.TOKENS.generate() + "/accept"))) {
            assertProblem(request.send(), 401, "unauthenticated");
        }
        assertProblem(http.get(ORGS).bearer("not.a.token").send(), 401, "invalid_token");
    }

    @Test
    void badIdsInPathsAreInvalidParameters() {
        String good = orgId.toString();
        for (Http.Request request : List.of(
                http.get(ORGS + "/not-a-uuid"),
                http.patch(ORGS + "/123").json("name", "x"),
                http.delete(ORGS + "/' or 1=1 --".replace(" ", "%20").replace("'", "%27")),
                http.get(ORGS + "/zzzzzzzz-zzzz-zzzz-zzzz-zzzzzzzzzzzz/members"),
                http.post(ORGS + "/x/members").json("email", "a@example.com", "role", "member"),
                http.patch(ORGS + "/" + good + "/members/me").json("role", "member"),
                http.delete(ORGS + "/" + good + "/members/" + "1".repeat(300)),
                http.post(ORGS + "/x/transfer-ownership").json("user_id", good),
                http.get(ORGS + "/x/invitations"),
                http.delete(ORGS + "/" + good + "/invitations/nope"))) {
            assertProblem(as(request).send(), 400, "invalid_parameter");
        }
    }

    @Test
    void unknownOrMalformedInvitationTokensAreNotFound() {
        for (String token : List.of("nope", "ghi_" + "A".repeat(42), "ghi_" + "A".repeat(44), "x".repeat(2000))) {
            assertProblem(
                    as(http.post("/api/v1/invitations/" + token + "/accept")).send(), 404, "not_found");
        }
    }

    @Test
    void listsRefuseBadLimitsAndCursors() {
        for (String path : List.of(ORGS, members(orgId), invitations(orgId))) {
            assertProblem(as(http.get(path + "?limit=0")).send(), 400, "validation_failed");
            assertProblem(as(http.get(path + "?limit=201")).send(), 400, "validation_failed");
            assertProblem(as(http.get(path + "?limit=ten")).send(), 400, "invalid_parameter");
            assertProblem(as(http.get(path + "?cursor=not-ours")).send(), 400, "invalid_cursor");
            assertProblem(as(http.get(path + "?cursor=" + "QUJD")).send(), 400, "invalid_cursor");
            assertThat(as(http.get(path + "?limit=200")).send().status()).isEqualTo(200);
        }
    }

    @Test
    void organizationNamesAreChecked() {
        for (boolean create : List.of(true, false)) {
            // A fresh request for each case: a request carries its body and headers.
            java.util.function.Supplier<Http.Request> r = () -> as(create ? http.post(ORGS) : http.patch(org(orgId)));
            assertInvalidField(r.get().body("{}").send(), "name");
            assertInvalidField(r.get().json("name", "").send(), "name");
            assertInvalidField(r.get().json("name", "   ").send(), "name");
            assertInvalidField(r.get().json("name", "n".repeat(201)).send(), "name");
            assertInvalidField(r.get().json("name", "bell\u0007").send(), "name");
            assertInvalidField(r.get().json("name", "two\nlines").send(), "name");
            assertInvalidField(r.get().json("name", 12).send(), "name");
            assertInvalidField(r.get().json("name", true).send(), "name");
            assertInvalidField(r.get().body("{\"name\":null}").send(), "name");
            assertInvalidField(r.get().json("name", "Fine", "personal", true).send(), "personal");
            assertInvalidField(
                    r.get()
                            .json("name", "Fine", "id", UUID.randomUUID().toString())
                            .send(),
                    "id");
            assertProblem(r.get().body("{\"name\":\"a\",\"name\":\"b\"}").send(), 400, "malformed_json");
            assertProblem(r.get().body("{").send(), 400, "malformed_json");
            assertProblem(r.get().body("[]").send(), 400, "malformed_body");
            assertProblem(r.get().body("\"Acme\"").send(), 400, "malformed_body");
            assertProblem(r.get().send(), 415, "unsupported_media_type");
            assertProblem(r.get().header("Content-Type", "application/json").send(), 400, "malformed_body");
            assertProblem(
                    r.get().header("Content-Type", "text/plain").body("name=x").send(), 415, "unsupported_media_type");
            assertProblem(
                    r.get().body("{\"name\":\"" + "x".repeat(1_100_000) + "\"}").send(), 413, "payload_too_large");
        }
        assertThat(http.get(org(orgId))
                        .bearer(owner.token())
                        .send()
                        .json()
                        .get("name")
                        .asString())
                .isEqualTo("Careful");
        assertThat(as(http.post(ORGS)).json("name", "n".repeat(200)).send().status())
                .isEqualTo(201);
    }

    @Test
    void invitationsCheckEmailAndRole() {
        String path = members(orgId);
        assertInvalidField(as(http.post(path)).json("role", "member").send(), "email");
        assertInvalidField(as(http.post(path)).json("email", "a@example.com").send(), "role");
        assertInvalidField(
                as(http.post(path))
                        .json("email", "a@example.com", "role", "king")
                        .send(),
                "role");
        assertInvalidField(
                as(http.post(path))
                        .json("email", "a@example.com", "role", "OWNER")
                        .send(),
                "role");
        assertInvalidField(
                as(http.post(path)).json("email", "a@example.com", "role", 1).send(), "role");
        assertInvalidField(
                as(http.post(path)).json("email", "a@example.com", "role", "").send(), "role");
        assertInvalidField(
                as(http.post(path)).json("email", 42, "role", "member").send(), "email");
        assertInvalidField(
                as(http.post(path))
                        .json("email", List.of("a@example.com"), "role", "member")
                        .send(),
                "email");
        assertInvalidField(
                as(http.post(path))
                        .json("email", "x".repeat(250) + "@example.com", "role", "member")
                        .send(),
                "email");
        assertInvalidField(
                as(http.post(path))
                        .json("email", "a@example.com", "role", "member", "message", "hi")
                        .send(),
                "message");
        for (String email : List.of("", "nope", "a@b", "two@@example.com", "sp ace@example.com")) {
            assertProblem(
                    as(http.post(path)).json("email", email, "role", "member").send(), 422, "invalid_email");
        }
        assertThat(as(http.get(invitations(orgId))).send().json().get("data")).isEmpty();
    }

    @Test
    void roleChangesAndTransfersCheckTheirFields() {
        String self = member(orgId, owner.id());
        assertInvalidField(as(http.patch(self)).body("{}").send(), "role");
        assertInvalidField(as(http.patch(self)).json("role", "superadmin").send(), "role");
        assertInvalidField(as(http.patch(self)).json("role", false).send(), "role");
        assertInvalidField(
                as(http.patch(self)).json("role", "admin", "user_id", "x").send(), "user_id");
        assertProblem(as(http.patch(self)).body("{\"role\":").send(), 400, "malformed_json");

        String transfer = org(orgId) + "/transfer-ownership";
        assertInvalidField(as(http.post(transfer)).body("{}").send(), "user_id");
        assertInvalidField(as(http.post(transfer)).json("user_id", "not-a-uuid").send(), "user_id");
        assertInvalidField(as(http.post(transfer)).json("user_id", 7).send(), "user_id");
        // The camelCase spelling is an unknown field, named as sent.
        assertInvalidField(
                as(http.post(transfer)).json("userId", owner.id().toString()).send(), "userId");
        assertProblem(
                as(http.post(transfer))
                        .header("Content-Type", "application/json")
                        .send(),
                400,
                "malformed_body");
        assertThat(roleOf(orgId, owner.id())).isEqualTo("owner");
    }

    @Test
    void wrongMethodsAreProblems() {
        assertProblem(as(http.put(org(orgId))).json("name", "x").send(), 405, "method_not_allowed");
        assertProblem(as(http.delete(ORGS)).send(), 405, "method_not_allowed");
        assertProblem(as(http.get(org(orgId) + "/transfer-ownership")).send(), 405, "method_not_allowed");
        assertProblem(
                as(http.get("/api/v1/invitations/" + OrgInvitations.TOKENS.generate() + "/accept"))
                        .send(),
                405,
                "method_not_allowed");
    }
}
