package dev.gatehouse.identity;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.support.EndToEndTest;
import dev.gatehouse.support.Http;
import dev.gatehouse.support.TestAccounts;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The signed-in routes refuse bad input and missing or bad credentials with 4xx problems. */
class MeBadInputTest extends EndToEndTest {

    private String token;

    @BeforeEach
    void signIn() {
        token = new TestAccounts(http, SMTP).create("me-bad").accessToken();
    }

    private static void assertProblem(Http.Response r, int status, String code) {
        assertThat(r.status()).as(r.toString()).isEqualTo(status);
        assertThat(r.header("Content-Type")).startsWith("application/problem+json");
        assertThat(r.code()).as(r.toString()).isEqualTo(code);
    }

    @Test
    void everyMeRouteNeedsAValidBearerToken() {
        for (Http.Request request : new Http.Request[] {
            http.get("/api/v1/me"),
            http.patch("/api/v1/me").json("name", "X"),
            http.post("/api/v1/me/password").json("current_password", "a", "new_password", "b"),
            http.get("/api/v1/me/sessions"),
            http.delete("/api/v1/me/sessions"),
            http.delete("/api/v1/me/sessions/00000000-0000-0000-0000-000000000000")
        }) {
            assertProblem(request.send(), 401, "unauthenticated");
        }
        assertProblem(http.get("/api/v1/me").bearer("garbage.token.here").send(), 401, "invalid_token");
        assertProblem(http.get("/api/v1/me").bearer(token + "x").send(), 401, "invalid_token");
    }

    @Test
    void profilePatchRefusesBadFields() {
        assertProblem(http.patch("/api/v1/me").bearer(token).body("{").send(), 400, "malformed_json");
        assertProblem(http.patch("/api/v1/me").bearer(token).json("name", "").send(), 400, "validation_failed");
        assertProblem(
                http.patch("/api/v1/me")
                        .bearer(token)
                        .json("name", "n".repeat(201))
                        .send(),
                400,
                "validation_failed");
        assertProblem(
                http.patch("/api/v1/me").bearer(token).json("locale", true).send(), 400, "validation_failed");
        assertProblem(
                http.patch("/api/v1/me")
                        .bearer(token)
                        .json("roles", new String[] {"superadmin"})
                        .send(),
                400,
                "validation_failed");
        assertProblem(
                http.patch("/api/v1/me")
                        .bearer(token)
                        .header("Content-Type", "text/plain")
                        .body("name=x")
                        .send(),
                415,
                "unsupported_media_type");
    }

    @Test
    void passwordChangeRefusesBadFields() {
        assertProblem(
                http.post("/api/v1/me/password")
                        .bearer(token)
                        .json("new_password", "Brand new violet harbor 88")
                        .send(),
                400,
                "validation_failed");
        assertProblem(
                http.post("/api/v1/me/password")
                        .bearer(token)
                        .json("current_password", 1, "new_password", 2)
                        .send(),
                400,
                "validation_failed");
        assertProblem(
                http.post("/api/v1/me/password")
                        .bearer(token)
                        .json("current_password", TestAccounts.PASSWORD, "new_password", "short")
                        .send(),
                422,
                "password_too_short");
        assertProblem(
                http.post("/api/v1/me/password")
                        .bearer(token)
                        .body("{\"current_password\":\"" + "x".repeat(1_100_000) + "\"}")
                        .send(),
                413,
                "payload_too_large");
    }

    @Test
    void wrongMethodsAreProblems() {
        assertProblem(http.put("/api/v1/me").bearer(token).json("name", "x").send(), 405, "method_not_allowed");
        assertProblem(http.get("/api/v1/auth/login").send(), 405, "method_not_allowed");
    }
}
