package dev.gatehouse.identity;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.support.EndToEndTest;
import dev.gatehouse.support.Http;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every sign-in endpoint answers bad input with a 4xx problem (never a 5xx, never a stack trace):
 * missing body, malformed JSON, missing and blank fields, wrong types, unknown fields, oversize.
 */
class SignInBadInputTest extends EndToEndTest {

    /** Each endpoint with a valid-shaped body, the field to break, and a field of another type. */
    static Stream<Arguments> endpoints() {
        return Stream.of(
                Arguments.of(
                        "/api/v1/auth/register",
                        "{\"email\":\"a@example.com\",\"password\":\"x\",\"name\":\"A\"}",
                        "email"),
                Arguments.of("/api/v1/auth/verify-email", "{\"token\":\"abc\"}", "token"),
                Arguments.of("/api/v1/auth/verify-email/resend", "{\"email\":\"a@example.com\"}", "email"),
                Arguments.of("/api/v1/auth/login", "{\"email\":\"a@example.com\",\"password\":\"x\"}", "email"),
                Arguments.of("/api/v1/auth/login/mfa", "{\"mfa_token\":\"ghm_x\",\"code\":\"123456\"}", "mfa_token"),
                Arguments.of("/api/v1/auth/token/refresh", "{\"refresh_token\":\"ghr_x\"}", "refresh_token"),
                Arguments.of("/api/v1/auth/logout", "{\"refresh_token\":\"ghr_x\"}", "refresh_token"),
                Arguments.of("/api/v1/auth/password/forgot", "{\"email\":\"a@example.com\"}", "email"),
                Arguments.of("/api/v1/auth/password/reset", "{\"token\":\"t\",\"new_password\":\"x\"}", "token"));
    }

    private static void assertProblem(Http.Response r, int status, String code) {
        assertThat(r.status()).as(r.toString()).isEqualTo(status);
        assertThat(r.header("Content-Type")).startsWith("application/problem+json");
        assertThat(r.code()).as(r.toString()).isEqualTo(code);
        assertThat(r.json().get("request_id").asString()).isEqualTo(r.header("X-Request-Id"));
        assertThat(r.body()).doesNotContain("Exception").doesNotContain("at dev.gatehouse");
    }

    @ParameterizedTest
    @MethodSource("endpoints")
    void missingBody(String path, String valid, String field) {
        assertProblem(http.post(path).header("Content-Type", "application/json").send(), 400, "malformed_body");
    }

    @ParameterizedTest
    @MethodSource("endpoints")
    void malformedJson(String path, String valid, String field) {
        assertProblem(http.post(path).body("{\"email\": ").send(), 400, "malformed_json");
    }

    @ParameterizedTest
    @MethodSource("endpoints")
    void notAnObject(String path, String valid, String field) {
        assertProblem(http.post(path).body("[1,2,3]").send(), 400, "malformed_body");
    }

    @ParameterizedTest
    @MethodSource("endpoints")
    void missingRequiredField(String path, String valid, String field) {
        String without = Http.JSON.readTree(valid).deepCopy() instanceof tools.jackson.databind.node.ObjectNode o
                ? o.without(field).toString()
                : valid;
        Http.Response r = http.post(path).body(without).send();
        assertProblem(r, 400, "validation_failed");
        assertThat(r.json().get("errors").toString()).contains("\"" + field + "\"");
    }

    @ParameterizedTest
    @MethodSource("endpoints")
    void wrongType(String path, String valid, String field) {
        tools.jackson.databind.node.ObjectNode o = (tools.jackson.databind.node.ObjectNode) Http.JSON.readTree(valid);
        o.put(field, 12345);
        Http.Response r = http.post(path).body(o.toString()).send();
        assertProblem(r, 400, "validation_failed");
        assertThat(r.json().get("errors").toString()).contains(field);
        o.set(field, Http.JSON.createObjectNode());
        assertProblem(http.post(path).body(o.toString()).send(), 400, "validation_failed");
    }

    @ParameterizedTest
    @MethodSource("endpoints")
    void unknownFieldIsRejected(String path, String valid, String field) {
        tools.jackson.databind.node.ObjectNode o = (tools.jackson.databind.node.ObjectNode) Http.JSON.readTree(valid);
        o.put("is_admin", true);
        Http.Response r = http.post(path).body(o.toString()).send();
        assertProblem(r, 400, "validation_failed");
        assertThat(r.json().get("errors").toString()).contains("is_admin");
    }

    @ParameterizedTest
    @MethodSource("endpoints")
    void oversizeBody(String path, String valid, String field) {
        String huge = "{\"" + field + "\":\"" + "x".repeat(1_100_000) + "\"}";
        assertProblem(http.post(path).body(huge).send(), 413, "payload_too_large");
    }

    @ParameterizedTest
    @MethodSource("endpoints")
    void overlongField(String path, String valid, String field) {
        tools.jackson.databind.node.ObjectNode o = (tools.jackson.databind.node.ObjectNode) Http.JSON.readTree(valid);
        o.put(field, "y".repeat(5000));
        Http.Response r = http.post(path).body(o.toString()).send();
        assertProblem(r, 400, "validation_failed");
    }

    @ParameterizedTest
    @MethodSource("endpoints")
    void wrongContentType(String path, String valid, String field) {
        assertProblem(
                http.post(path).header("Content-Type", "text/plain").body(valid).send(), 415, "unsupported_media_type");
    }
}
