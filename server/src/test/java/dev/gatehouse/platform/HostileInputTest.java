package dev.gatehouse.platform;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.support.EndToEndTest;
import dev.gatehouse.support.Http;
import dev.gatehouse.support.RawHttp;
import dev.gatehouse.support.TestAccounts;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Input that used to reach PostgreSQL or the container's parsers and answer 500 (or Tomcat's HTML page)
 * is refused at the boundary with a 400 problem naming the field: a NUL in a JSON string or a query
 * parameter, an undecodable form body, bad percent-encoding or overlong UTF-8 in the path or query.
 */
class HostileInputTest extends EndToEndTest {

    private static final String NUL_JSON = "a\u0000b";

    /** Asserts a 400 {@code validation_failed} problem whose one error is about {@code field}. */
    private static void assertRefused(int status, String contentType, String body, String field) {
        assertThat(status).as(body).isEqualTo(400);
        assertThat(contentType).startsWith("application/problem+json");
        JsonNode problem = Http.JSON.readTree(body);
        assertThat(problem.get("code").asString()).isEqualTo("validation_failed");
        assertThat(problem.get("request_id").asString()).isNotBlank();
        assertThat(problem.get("errors").size()).as(body).isEqualTo(1);
        assertThat(problem.get("errors").get(0).get("field").asString()).isEqualTo(field);
        assertThat(problem.get("errors").get(0).get("message").asString()).isNotBlank();
    }

    private static void assertRefused(Http.Response response, String field) {
        assertRefused(response.status(), response.header("Content-Type"), response.body(), field);
    }

    private static void assertRefused(RawHttp.Response response, String field) {
        assertRefused(response.status(), response.header("Content-Type"), response.text(), field);
    }

    private String adminToken() {
        return new TestAccounts(http, SMTP).admin().accessToken();
    }

    @Test
    void nulInSignInEmailIsRefusedWithoutSigningIn() {
        assertRefused(
                http.post("/api/v1/auth/login")
                        .json("email", NUL_JSON, "password", "x")
                        .send(),
                "email");
    }

    @Test
    void nulInForgottenPasswordEmailIsRefused() {
        assertRefused(
                http.post("/api/v1/auth/password/forgot")
                        .json("email", NUL_JSON)
                        .send(),
                "email");
    }

    @Test
    void nulInVerificationResendEmailIsRefused() {
        assertRefused(
                http.post("/api/v1/auth/verify-email/resend")
                        .json("email", NUL_JSON)
                        .send(),
                "email");
    }

    @Test
    void nulInRegistrationNameIsRefused() {
        Http.Response response = http.post("/api/v1/auth/register")
                .json(
                        "email",
                        TestAccounts.uniqueEmail("nul-name"),
                        "password",
                        TestAccounts.PASSWORD,
                        "name",
                        NUL_JSON)
                .send();
        assertRefused(response, "name");
    }

    @Test
    void nulInProfileNameOrLocaleIsRefused() {
        TestAccounts.Account a = new TestAccounts(http, SMTP).create("nul-profile");
        assertRefused(
                http.patch("/api/v1/me")
                        .bearer(a.accessToken())
                        .json("name", NUL_JSON)
                        .send(),
                "name");
        assertRefused(
                http.patch("/api/v1/me")
                        .bearer(a.accessToken())
                        .json("locale", "en\u0000")
                        .send(),
                "locale");
    }

    @Test
    void otherControlCharactersAndLoneSurrogatesAreRefusedInAnyBodyString() {
        for (String hostile : new String[] {"\u0001", "\u001b[2J", "\u007f", "\u0085", "\ud800", "x\udc00"}) {
            String body = "{\"email\":\"" + escapeJson(hostile) + "\",\"password\":\"x\"}";
            assertRefused(http.post("/api/v1/auth/login").body(body).send(), "email");
        }
    }

    private static String escapeJson(String s) {
        StringBuilder out = new StringBuilder();
        for (char c : s.toCharArray()) out.append(c < 0x20 || c > 0x7E ? String.format("\\u%04x", (int) c) : c);
        return out.toString();
    }

    @Test
    void nulInAdminUserSearchIsRefused() {
        assertRefused(
                http.get("/api/v1/admin/users?email=a%00b").bearer(adminToken()).send(), "email");
    }

    @Test
    void nulInAuditTargetFilterIsRefused() {
        assertRefused(
                http.get("/api/v1/admin/audit-events?target_id=x%00")
                        .bearer(adminToken())
                        .send(),
                "target_id");
    }

    @Test
    void nulInCapturedMailRecipientFilterIsRefused() {
        assertRefused(http.get("/api/v1/admin/mail?to=%00").bearer(adminToken()).send(), "to");
    }

    @Test
    void undecodableFormBodyIsRefusedBeforeAuthentication() {
        for (String method : new String[] {"PUT", "PATCH", "DELETE"}) {
            RawHttp.Response response = new RawHttp(port)
                    .send(
                            method,
                            "/api/v1/me",
                            Map.of("Content-Type", "application/x-www-form-urlencoded"),
                            "a=%ZZ".getBytes(StandardCharsets.US_ASCII));
            assertRefused(response, "a");
        }
    }

    @Test
    void badPercentEncodingInThePathIsAProblemNotTomcatsPage() {
        assertRefused(new RawHttp(port).send("GET", "/api/v1/a%ZZ", Map.of(), null), "path");
    }

    @Test
    void overlongUtf8InThePathIsAProblemNotTomcatsPage() {
        assertRefused(new RawHttp(port).send("GET", "/api/v1/me/%C0%80", Map.of(), null), "path");
    }

    @Test
    void badPercentEncodingInTheQueryIsRefused() {
        RawHttp.Response response = new RawHttp(port)
                .send("GET", "/api/v1/admin/users?email=a%ZZ", Map.of("Authorization", "Bearer " + adminToken()), null);
        assertRefused(response, "email");
    }

    @Test
    void overlongUtf8InTheQueryIsRefused() {
        RawHttp.Response response = new RawHttp(port)
                .send(
                        "GET",
                        "/api/v1/admin/users?email=%C0%80",
                        Map.of("Authorization", "Bearer " + adminToken()),
                        null);
        assertRefused(response, "email");
    }

    @Test
    void malformedRequestLineIsAProblemToo() {
        RawHttp.Response response = new RawHttp(port).send("GET", "/api/v1/{me}", Map.of(), null);
        assertThat(response.status()).isEqualTo(400);
        assertThat(response.header("Content-Type")).startsWith("application/problem+json");
        assertThat(Http.JSON.readTree(response.text()).get("code").asString()).isEqualTo("bad_request");
        assertThat(response.header("X-Request-Id")).isNotBlank();
    }

    @Test
    void unknownFieldIsNamedAsSent() {
        Http.Response response = http.post("/api/v1/auth/token/refresh")
                .json("refreshToken", "x")
                .send();
        assertRefused(response, "refreshToken");
        assertThat(response.json().get("errors").get(0).get("message").asString())
                .contains("Unknown field");
    }

    @Test
    void wellFormedQueryAndFormParametersStillReachTheirHandlers() {
        Http.Response page = http.get("/verify-email?token=abc%2Bdef+ghi").send();
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.body()).contains("value=\"abc+def ghi\"");
        Http.Response forgot = http.post("/forgot-password")
                .header("Content-Type", "application/x-www-form-urlencoded")
                .body("email=" + URLEncoder.encode(TestAccounts.uniqueEmail("form"), StandardCharsets.UTF_8))
                .send();
        assertThat(forgot.status()).as(forgot.toString()).isEqualTo(202);
        Http.Response search = http.get("/api/v1/admin/users?email=tab%09ok&limit=1")
                .bearer(adminToken())
                .send();
        assertThat(search.status()).as(search.toString()).isEqualTo(200);
    }
}
