package dev.gatehouse.identity;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.support.EndToEndTest;
import dev.gatehouse.support.Http;
import dev.gatehouse.support.TestAccounts;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every two-factor and step-up route answers bad input and missing credentials with a 4xx problem:
 * missing and extra fields, wrong types, malformed and oversize bodies, the wrong media type.
 * ({@link SignInBadInputTest} also runs its generic cases against {@code /api/v1/auth/login/mfa}.)
 */
class MfaBadInputTest extends EndToEndTest {

    private String token;

    @BeforeEach
    void signIn() {
        token = new TestAccounts(http, SMTP).create("mfa-bad").accessToken();
    }

    private static void assertProblem(Http.Response r, int status, String code) {
        assertThat(r.status()).as(r.toString()).isEqualTo(status);
        assertThat(r.header("Content-Type")).startsWith("application/problem+json");
        assertThat(r.code()).as(r.toString()).isEqualTo(code);
        assertThat(r.body()).doesNotContain("Exception").doesNotContain("at dev.gatehouse");
    }

    private static void assertField(Http.Response r, String field) {
        assertProblem(r, 400, "validation_failed");
        assertThat(r.json().get("errors").toString()).contains("\"" + field + "\"");
    }

    @Test
    void everyRouteNeedsABearerToken() {
        for (Http.Request request : new Http.Request[] {
            http.post("/api/v1/me/mfa/totp"),
            http.post("/api/v1/me/mfa/totp/confirm").json("code", "123456"),
            http.delete("/api/v1/me/mfa/totp"),
            http.post("/api/v1/me/mfa/recovery-codes"),
            http.post("/api/v1/me/step-up").json("password", "x")
        }) {
            assertProblem(request.send(), 401, "unauthenticated");
        }
        assertProblem(http.post("/api/v1/me/mfa/totp").bearer("a.b.c").send(), 401, "invalid_token");
    }

    @Test
    void loginMfaNeedsExactlyOneFactorOfTheRightShape() {
        String path = "/api/v1/auth/login/mfa";
        assertField(http.post(path).json("mfa_token", "ghm_x").send(), "one_factor");
        assertField(
                http.post(path)
                        .json("mfa_token", "ghm_x", "code", "123456", "recovery_code", "abcde-fghij")
                        .send(),
                "one_factor");
        assertField(http.post(path).json("mfa_token", "ghm_x", "code", 123456).send(), "code");
        assertField(http.post(path).json("mfa_token", "ghm_x", "code", "12345").send(), "code");
        assertField(
                http.post(path).json("mfa_token", "ghm_x", "code", "1234567").send(), "code");
        assertField(http.post(path).json("mfa_token", "ghm_x", "code", "12a456").send(), "code");
        assertField(
                http.post(path).json("mfa_token", "ghm_x", "code", " 123456").send(), "code");
        assertField(
                http.post(path).json("mfa_token", "ghm_x", "recovery_code", "").send(), "recovery_code");
        assertField(
                http.post(path)
                        .json("mfa_token", "ghm_x", "recovery_code", "r".repeat(65))
                        .send(),
                "recovery_code");
        assertField(
                http.post(path)
                        .json("mfa_token", "ghm_x", "recovery_code", true)
                        .send(),
                "recovery_code");
        // The one-of check is not a field a client could set.
        assertField(
                http.post(path)
                        .json("mfa_token", "ghm_x", "code", "123456", "one_factor", true)
                        .send(),
                "one_factor");
        assertField(http.post(path).json("mfa_token", "", "code", "123456").send(), "mfa_token");
        assertField(http.post(path).json("mfa_token", null, "code", "123456").send(), "mfa_token");
        assertField(
                http.post(path)
                        .json("mfa_token", "ghm_x", "code", "123456", "email", "a@b.co")
                        .send(),
                "email");
    }

    @Test
    void confirmRefusesBadCodes() {
        String path = "/api/v1/me/mfa/totp/confirm";
        assertField(http.post(path).bearer(token).json().send(), "code");
        assertField(http.post(path).bearer(token).json("code", 123456).send(), "code");
        assertField(http.post(path).bearer(token).json("code", "abcdef").send(), "code");
        assertField(http.post(path).bearer(token).json("code", new int[] {1}).send(), "code");
        assertField(
                http.post(path)
                        .bearer(token)
                        .json("code", "123456", "secret", "AAAA")
                        .send(),
                "secret");
        assertProblem(http.post(path).bearer(token).body("{\"code\":").send(), 400, "malformed_json");
        assertProblem(http.post(path).bearer(token).body("\"123456\"").send(), 400, "malformed_body");
        assertProblem(
                http.post(path)
                        .bearer(token)
                        .header("Content-Type", "application/json")
                        .send(),
                400,
                "malformed_body");
        assertProblem(
                http.post(path)
                        .bearer(token)
                        .header("Content-Type", "text/plain")
                        .body("123456")
                        .send(),
                415,
                "unsupported_media_type");
        assertProblem(
                http.post(path)
                        .bearer(token)
                        .body("{\"code\":\"" + "1".repeat(1_100_000) + "\"}")
                        .send(),
                413,
                "payload_too_large");
    }

    @Test
    void routesWithoutFieldsRefuseFieldsButTakeAnEmptyObject() {
        for (String path : new String[] {"/api/v1/me/mfa/totp", "/api/v1/me/mfa/recovery-codes"}) {
            assertField(http.post(path).bearer(token).json("issuer", "Evil").send(), "issuer");
            assertProblem(http.post(path).bearer(token).body("[1]").send(), 400, "malformed_body");
            assertProblem(http.post(path).bearer(token).body("{").send(), 400, "malformed_json");
        }
        assertThat(http.post("/api/v1/me/mfa/totp")
                        .bearer(token)
                        .body("{}")
                        .send()
                        .status())
                .isEqualTo(200);
        // No 2FA yet: nothing to make codes for.
        assertProblem(http.post("/api/v1/me/mfa/recovery-codes").bearer(token).send(), 409, "mfa_not_enabled");
    }

    @Test
    void stepUpNeedsExactlyOneProofOfTheRightShape() {
        String path = "/api/v1/me/step-up";
        assertField(http.post(path).bearer(token).json().send(), "one_proof");
        assertField(
                http.post(path)
                        .bearer(token)
                        .json("password", TestAccounts.PASSWORD, "code", "123456")
                        .send(),
                "one_proof");
        assertField(
                http.post(path)
                        .bearer(token)
                        .json("password", TestAccounts.PASSWORD, "one_proof", true)
                        .send(),
                "one_proof");
        assertField(http.post(path).bearer(token).json("password", 12).send(), "password");
        assertField(
                http.post(path).bearer(token).json("password", "p".repeat(1025)).send(), "password");
        assertField(http.post(path).bearer(token).json("code", "12345").send(), "code");
        assertField(http.post(path).bearer(token).json("recovery_code", 1).send(), "recovery_code");
        assertField(
                http.post(path)
                        .bearer(token)
                        .json("password", TestAccounts.PASSWORD, "remember", true)
                        .send(),
                "remember");
        assertProblem(http.post(path).bearer(token).body("nope").send(), 400, "malformed_json");
        assertProblem(
                http.post(path)
                        .bearer(token)
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .body("password=x")
                        .send(),
                415,
                "unsupported_media_type");
    }

    @Test
    void theOpenApiDocumentHasTheRoutesButNotTheOneOfChecks() {
        String doc = http.get("/api/v1/openapi.json").send().body();
        assertThat(doc)
                .contains(
                        "\"/api/v1/auth/login/mfa\"",
                        "\"/api/v1/me/mfa/totp\"",
                        "\"/api/v1/me/mfa/totp/confirm\"",
                        "\"/api/v1/me/mfa/recovery-codes\"",
                        "\"/api/v1/me/step-up\"")
                .doesNotContainIgnoringCase("one_factor")
                .doesNotContainIgnoringCase("oneFactor")
                .doesNotContainIgnoringCase("one_proof")
                .doesNotContainIgnoringCase("oneProof");
    }

    @Test
    void wrongMethodsAreProblems() {
        assertProblem(http.get("/api/v1/me/mfa/totp").bearer(token).send(), 405, "method_not_allowed");
        assertProblem(
                http.put("/api/v1/me/step-up").bearer(token).json("code", "1").send(), 405, "method_not_allowed");
        assertProblem(http.get("/api/v1/auth/login/mfa").send(), 405, "method_not_allowed");
    }
}
