package dev.gatehouse.platform;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.support.EndToEndTest;
import dev.gatehouse.support.Http;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** The HTTP edge every route shares: problem responses, request ids, security headers, CORS, body limits. */
class HttpEdgeTest extends EndToEndTest {

    private static final String UUID_PATTERN = "[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}";

    private final String user = TestCallers.user();

    /** Asserts the RFC 9457 shape: status, stable type from the code, request id matching the header. */
    private static void assertProblem(Http.Response response, int status, String code) {
        assertThat(response.status()).as(response.toString()).isEqualTo(status);
        assertThat(response.header("Content-Type")).startsWith("application/problem+json");
        JsonNode body = response.json();
        assertThat(body.get("status").asInt()).isEqualTo(status);
        assertThat(body.get("code").asString()).isEqualTo(code);
        assertThat(body.get("type").asString()).isEqualTo(Problems.TYPE_BASE + code.replace('_', '-'));
        assertThat(body.get("title").asString()).isNotBlank();
        assertThat(body.get("detail").asString()).isNotBlank();
        assertThat(body.get("request_id").asString()).isEqualTo(response.header("X-Request-Id"));
        assertThat(response.body()).doesNotContain("Exception").doesNotContain("\tat ");
    }

    @Test
    void unknownRouteIsNotFoundProblem() {
        assertProblem(http.get("/api/v1/test-support/nothing-here").bearer(user).send(), 404, "not_found");
        assertProblem(http.get("/no-such-page").send(), 404, "not_found");
    }

    @Test
    void wrongMethodIsMethodNotAllowedProblem() {
        Http.Response response =
                http.delete("/api/v1/test-support/widgets").bearer(user).send();
        assertProblem(response, 405, "method_not_allowed");
        assertThat(response.header("Allow")).contains("POST");
    }

    @Test
    void unsupportedContentTypeIsProblem() {
        Http.Response response = http.post("/api/v1/test-support/widgets")
                .bearer(user)
                .header("Content-Type", "text/plain")
                .body("display_name=x")
                .send();
        assertProblem(response, 415, "unsupported_media_type");
    }

    @Test
    void malformedJsonIsProblem() {
        assertProblem(
                http.post("/api/v1/test-support/widgets")
                        .bearer(user)
                        .body("{\"display_name\": ")
                        .send(),
                400,
                "malformed_json");
    }

    @Test
    void bodyThatIsNotAnObjectIsProblem() {
        for (String body : new String[] {"[1, 2]", "\"a string\"", "42"}) {
            assertProblem(
                    http.post("/api/v1/test-support/widgets")
                            .bearer(user)
                            .body(body)
                            .send(),
                    400,
                    "malformed_body");
        }
    }

    @Test
    void missingBodyIsProblem() {
        assertProblem(
                http.post("/api/v1/test-support/widgets")
                        .bearer(user)
                        .header("Content-Type", "application/json")
                        .send(),
                400,
                "malformed_body");
    }

    @Test
    void unknownFieldIsValidationProblemNamingIt() {
        Http.Response response = http.post("/api/v1/test-support/widgets")
                .bearer(user)
                .json("display_name", "w", "count", 1, "active", true, "colour", "red")
                .send();
        assertProblem(response, 400, "validation_failed");
        assertThat(response.json().get("errors").get(0).get("field").asString()).isEqualTo("colour");
    }

    @Test
    void beanValidationFailureListsSnakeCaseFields() {
        Http.Response response = http.post("/api/v1/test-support/widgets")
                .bearer(user)
                .json("display_name", " ", "count", -1, "active", true)
                .send();
        assertProblem(response, 400, "validation_failed");
        assertThat(response.json()
                        .get("errors")
                        .valueStream()
                        .map(e -> e.get("field").asString())
                        .toList())
                .containsExactlyInAnyOrder("display_name", "count");
        assertThat(response.json().get("errors").get(0).get("message").asString())
                .isNotBlank();
    }

    @Test
    void oversizeBodyWithContentLengthIs413() {
        String big = "{\"display_name\":\"" + "x".repeat(1_100_000) + "\"}";
        assertProblem(
                http.post("/api/v1/test-support/widgets").bearer(user).body(big).send(), 413, "payload_too_large");
    }

    @Test
    void oversizeChunkedBodyIs413() throws Exception {
        // No Content-Length: the limit must trip while the handler reads, not on the declared size.
        assertThat(chunkedPost("/api/v1/test-support/widgets", null).statusCode())
                .isEqualTo(413);
        // Through the idempotency filter too, which reads the body before the handler does.
        HttpResponse<String> viaIdempotency = chunkedPost("/api/v1/test-support/widgets", "big-" + UUID.randomUUID());
        assertThat(viaIdempotency.statusCode()).isEqualTo(413);
        assertThat(viaIdempotency.body()).contains("\"code\":\"payload_too_large\"");
    }

    private HttpResponse<String> chunkedPost(String path, String idempotencyKey)
            throws IOException, InterruptedException {
        byte[] body = new byte[1_500_000];
        Arrays.fill(body, (byte) ' ');
        body[0] = '{';
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(http.base() + path))
                .timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + user)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body)));
        if (idempotencyKey != null) request.header(IdempotencyFilter.HEADER, idempotencyKey);
        try (HttpClient client =
                HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
            return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
        }
    }

    @Test
    void anonymousCallerOnProtectedRouteGets401WithChallenge() {
        Http.Response response = http.get("/api/v1/test-support/admin-only").send();
        assertProblem(response, 401, "unauthenticated");
        assertThat(response.header("WWW-Authenticate")).isEqualTo("Bearer");
        // Unknown v1 routes do not reveal themselves to anonymous callers either.
        assertProblem(http.get("/api/v1/no-such-route").send(), 401, "unauthenticated");
    }

    @Test
    void invalidTokenGets401InvalidToken() {
        Http.Response response =
                http.get("/api/v1/test-support/admin-only").bearer("nonsense").send();
        assertProblem(response, 401, "invalid_token");
        assertThat(response.header("WWW-Authenticate")).contains("invalid_token");
    }

    @Test
    void authenticatedCallerWithoutPermissionGets403() {
        assertProblem(http.get("/api/v1/test-support/admin-only").bearer(user).send(), 403, "forbidden");
        Http.Response admin = http.get("/api/v1/test-support/admin-only")
                .bearer(TestCallers.token("admin", UUID.randomUUID()))
                .send();
        assertThat(admin.status()).isEqualTo(200);
    }

    @Test
    void suppliedRequestIdIsEchoed() {
        Http.Response response = http.get("/health/live")
                .header("X-Request-Id", "client-abc.123:9")
                .send();
        assertThat(response.header("X-Request-Id")).isEqualTo("client-abc.123:9");
    }

    @Test
    void missingRequestIdIsGenerated() {
        Http.Response first = http.get("/health/live").send();
        Http.Response second = http.get("/health/live").send();
        assertThat(first.header("X-Request-Id")).matches(UUID_PATTERN);
        assertThat(second.header("X-Request-Id")).matches(UUID_PATTERN).isNotEqualTo(first.header("X-Request-Id"));
    }

    @Test
    void malformedRequestIdIsReplaced() {
        for (String bad : new String[] {"has spaces", "<script>", "x".repeat(129), "quote\"d"}) {
            Http.Response response = http.get("/api/v1/no-such-route")
                    .header("X-Request-Id", bad)
                    .send();
            assertThat(response.header("X-Request-Id")).matches(UUID_PATTERN);
            assertThat(response.json().get("request_id").asString()).isEqualTo(response.header("X-Request-Id"));
        }
    }

    @Test
    void requestIdAppearsInProblemBodies() {
        Http.Response response = http.get("/api/v1/test-support/nothing-here")
                .bearer(user)
                .header("X-Request-Id", "trace-42")
                .send();
        assertThat(response.json().get("request_id").asString()).isEqualTo("trace-42");
    }

    @Test
    void securityHeadersOnEveryResponse() {
        for (Http.Response response : new Http.Response[] {
            http.get("/health/live").send(),
            http.get("/api/v1/test-support/admin-only").send(),
            http.get("/api/v1/test-support/widgets/w").bearer(user).send()
        }) {
            assertThat(response.header("Content-Security-Policy"))
                    .as(response.toString())
                    .contains("default-src 'none'")
                    .contains("frame-ancestors 'none'");
            assertThat(response.header("X-Frame-Options")).isEqualTo("DENY");
            assertThat(response.header("X-Content-Type-Options")).isEqualTo("nosniff");
            assertThat(response.header("Referrer-Policy")).isEqualTo("no-referrer");
        }
    }

    @Test
    void corsPreflightAllowedForConfiguredOrigin() {
        Http.Response response = options(
                "/api/v1/test-support/widgets",
                "Origin",
                "https://app.example.com",
                "Access-Control-Request-Method",
                "POST",
                "Access-Control-Request-Headers",
                "authorization,content-type,idempotency-key");
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.header("Access-Control-Allow-Origin")).isEqualTo("https://app.example.com");
        assertThat(response.header("Access-Control-Allow-Methods")).contains("POST");
        assertThat(response.header("Access-Control-Allow-Headers").toLowerCase())
                .contains("authorization")
                .contains("idempotency-key");
    }

    @Test
    void corsPreflightRefusedForOtherOrigins() {
        Http.Response response = options(
                "/api/v1/test-support/widgets",
                "Origin",
                "https://evil.example.net",
                "Access-Control-Request-Method",
                "POST");
        assertThat(response.status()).isEqualTo(403);
        assertThat(response.header("Access-Control-Allow-Origin")).isNull();
    }

    /** {@link Http} has no OPTIONS; a preflight is a bare request with headers only. */
    private Http.Response options(String path, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(http.base() + path))
                .timeout(Duration.ofSeconds(10))
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody());
        for (int i = 0; i < headers.length; i += 2) request.header(headers[i], headers[i + 1]);
        try (HttpClient client = HttpClient.newHttpClient()) {
            return new Http.Response(client.send(request.build(), HttpResponse.BodyHandlers.ofString()));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Test
    void corsSimpleRequestFromOtherOriginGetsNoAllowOrigin() {
        Http.Response response = http.get("/health/live")
                .header("Origin", "https://evil.example.net")
                .send();
        assertThat(response.header("Access-Control-Allow-Origin")).isNull();
        Http.Response allowed = http.get("/health/live")
                .header("Origin", "https://app.example.com")
                .send();
        assertThat(allowed.header("Access-Control-Allow-Origin")).isEqualTo("https://app.example.com");
        assertThat(allowed.header("Access-Control-Expose-Headers")).contains("X-Request-Id");
    }
}
