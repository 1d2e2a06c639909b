package dev.gatehouse.platform;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.support.EndToEndTest;
import dev.gatehouse.support.Http;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** The strict JSON input policy of {@link StrictJsonConfiguration}: bodies are read as typed or refused. */
class StrictJsonTest extends EndToEndTest {

    private final String user = TestCallers.user();

    private Http.Response post(String body) {
        return http.post("/api/v1/test-support/widgets").bearer(user).body(body).send();
    }

    /** Asserts a 400 validation problem whose only error names {@code field} and says what to send. */
    private static void assertWrongType(Http.Response response, String field, String message) {
        assertThat(response.status()).as(response.toString()).isEqualTo(400);
        assertThat(response.code()).isEqualTo("validation_failed");
        JsonNode errors = response.json().get("errors");
        assertThat(errors.size()).as(response.toString()).isEqualTo(1);
        assertThat(errors.get(0).get("field").asString()).isEqualTo(field);
        assertThat(errors.get(0).get("message").asString()).isEqualTo(message);
    }

    @Test
    void wellTypedBodyIsAccepted() {
        Http.Response response = post("""
                {"display_name": "strict-ok", "count": 3, "active": true, "price": 9.5, "kind": "PREMIUM",
                 "starts_at": "2026-01-01T00:00:00Z", "tags": ["a"]}""");
        assertThat(response.status()).as(response.toString()).isEqualTo(201);
        assertThat(response.json().get("widget").get("price").asString()).isEqualTo("9.5");
        // An integer where a decimal is expected is not a coercion: it is the same JSON number type.
        assertThat(post("{\"display_name\": \"strict-int-price\", \"count\": 1, \"active\": false, \"price\": 2}")
                        .status())
                .isEqualTo(201);
    }

    @Test
    void numberWhereStringExpectedIsRefused() {
        assertWrongType(
                post("{\"display_name\": 12, \"count\": 1, \"active\": true}"), "display_name", "Must be a string.");
        assertWrongType(
                post("{\"display_name\": 1.5, \"count\": 1, \"active\": true}"), "display_name", "Must be a string.");
    }

    @Test
    void booleanWhereStringExpectedIsRefused() {
        assertWrongType(
                post("{\"display_name\": true, \"count\": 1, \"active\": true}"), "display_name", "Must be a string.");
    }

    @Test
    void stringWhereNumberExpectedIsRefused() {
        assertWrongType(
                post("{\"display_name\": \"w\", \"count\": \"12\", \"active\": true}"), "count", "Must be an integer.");
        assertWrongType(
                post("{\"display_name\": \"w\", \"count\": \"\", \"active\": true}"), "count", "Must be an integer.");
        assertWrongType(
                post("{\"display_name\": \"w\", \"count\": 1, \"active\": true, \"price\": \"9.5\"}"),
                "price",
                "Must be a number.");
    }

    @Test
    void fractionWhereIntegerExpectedIsRefused() {
        assertWrongType(
                post("{\"display_name\": \"w\", \"count\": 1.5, \"active\": true}"), "count", "Must be an integer.");
        assertWrongType(
                post("{\"display_name\": \"w\", \"count\": 1.0, \"active\": true}"), "count", "Must be an integer.");
    }

    @Test
    void stringOrNumberWhereBooleanExpectedIsRefused() {
        assertWrongType(
                post("{\"display_name\": \"w\", \"count\": 1, \"active\": \"true\"}"), "active", "Must be a boolean.");
        assertWrongType(post("{\"display_name\": \"w\", \"count\": 1, \"active\": 1}"), "active", "Must be a boolean.");
    }

    @Test
    void nullForPrimitiveIsRefused() {
        assertWrongType(
                post("{\"display_name\": \"w\", \"count\": null, \"active\": true}"), "count", "Must not be null.");
    }

    @Test
    void numberForEnumIsRefused() {
        assertWrongType(
                post("{\"display_name\": \"w\", \"count\": 1, \"active\": true, \"kind\": 0}"),
                "kind",
                "Must be one of the documented values.");
        assertWrongType(
                post("{\"display_name\": \"w\", \"count\": 1, \"active\": true, \"kind\": \"GOLD\"}"),
                "kind",
                "Must be one of the documented values.");
    }

    @Test
    void scalarWhereArrayExpectedIsRefused() {
        assertWrongType(
                post("{\"display_name\": \"w\", \"count\": 1, \"active\": true, \"tags\": \"a\"}"),
                "tags",
                "Must be an array.");
    }

    @Test
    void malformedTimestampIsRefused() {
        Http.Response response =
                post("{\"display_name\": \"w\", \"count\": 1, \"active\": true, \"starts_at\": \"yesterday\"}");
        assertWrongType(response, "starts_at", "Must be an RFC 3339 date or timestamp string.");
    }

    @Test
    void valueObjectRefusalNamesTheFieldAndSaysWhy() {
        assertWrongType(
                post("{\"display_name\": \"w\", \"count\": 1, \"active\": true, \"sku\": \"abc\"}"),
                "sku",
                "Must look like ABC-123.");
        assertThat(post("{\"display_name\": \"sku-ok\", \"count\": 1, \"active\": true, \"sku\": \"ABC-123\"}")
                        .status())
                .isEqualTo(201);
    }

    @Test
    void duplicateKeyIsRefused() {
        Http.Response response =
                post("{\"display_name\": \"w\", \"display_name\": \"x\", \"count\": 1, \"active\": true}");
        assertThat(response.status()).isEqualTo(400);
        assertThat(response.code()).isEqualTo("malformed_json");
    }

    @Test
    void trailingContentIsRefused() {
        Http.Response response = post("{\"display_name\": \"w\", \"count\": 1, \"active\": true} {}");
        assertThat(response.status()).isEqualTo(400);
        assertThat(response.code()).isIn("malformed_body", "malformed_json");
    }
}
