package dev.gatehouse.support;

import com.atlassian.oai.validator.OpenApiInteractionValidator;
import com.atlassian.oai.validator.model.Request;
import com.atlassian.oai.validator.model.SimpleResponse;
import com.atlassian.oai.validator.report.ValidationReport;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Checks every response the end-to-end tests receive against the app's own OpenAPI document (fetched once per
 * running app from {@code /api/v1/openapi.json}), with Atlassian's OpenAPI validator: the status must be
 * documented for the operation, the content type must match, and a JSON body must match its schema, where an
 * undocumented member is an error (the validator adds {@code additionalProperties: false} to every object
 * schema for the check), so a member the document names differently from the wire fails too.
 *
 * <p>Outside the contract, and so not checked: the routes that only tests have ({@code /api/v1/test-support}),
 * the document itself, HTML pages, health and metrics, and CORS preflights. A 4xx on a path the document does
 * not have (an unknown route, or one refused at the edge before routing) must still be a problem.
 */
final class ApiContract {

    private static final HttpClient CLIENT =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private static final Map<String, OpenApiInteractionValidator> VALIDATORS = new ConcurrentHashMap<>();

    private static final Set<String> NOT_ROUTED =
            Set.of("validation.request.path.missing", "validation.request.operation.notAllowed");

    private ApiContract() {}

    static void check(String base, String method, String pathAndQuery, HttpResponse<String> response) {
        String path = pathOf(pathAndQuery);
        if (!inContract(method, path)) return;
        List<String> violations = violations(
                validator(base),
                method,
                path,
                response.statusCode(),
                response.headers().map(),
                response.body());
        if (!violations.isEmpty()) {
            StringBuilder out = new StringBuilder()
                    .append(method)
                    .append(' ')
                    .append(pathAndQuery)
                    .append(" answered ")
                    .append(response.statusCode())
                    .append(" in a way the OpenAPI document does not describe:");
            violations.forEach(v -> out.append("\n  - ").append(v));
            out.append("\n  body: ").append(response.body());
            throw new AssertionError(out.toString());
        }
    }

    /** What is wrong with one response, as the document sees it; empty when it is described. */
    static List<String> violations(
            OpenApiInteractionValidator validator,
            String method,
            String path,
            int status,
            Map<String, List<String>> headers,
            String body) {
        SimpleResponse.Builder actual = SimpleResponse.Builder.status(status);
        headers.forEach((name, values) -> {
            if (!name.startsWith(":")) actual.withHeader(name, values);
        });
        if (body != null && !body.isEmpty()) actual.withBody(body);
        ValidationReport report = validator.validateResponse(path, Request.Method.valueOf(method), actual.build());
        boolean routed = report.getMessages().stream().noneMatch(m -> NOT_ROUTED.contains(m.getKey()));
        String type = headers.entrySet().stream()
                .filter(h -> h.getKey().equalsIgnoreCase("Content-Type"))
                .flatMap(h -> h.getValue().stream())
                .findFirst()
                .orElse("");
        if (!routed && status >= 400 && status < 500) {
            // An unknown route, or a request refused before routing: still a problem, like every refusal.
            boolean problem = body == null || body.isEmpty() || type.startsWith("application/problem+json");
            return problem
                    ? List.of()
                    : List.of("a " + status + " on a path the document does not have, not as application/problem+json");
        }
        return report.getMessages().stream()
                .filter(m -> m.getLevel() == ValidationReport.Level.ERROR)
                // JSON Lines with no line is an empty body, and a fine one.
                .filter(m -> !(m.getKey().equals("validation.response.body.missing") && type.contains("ndjson")))
                .map(m -> m.getKey() + ": " + m.getMessage())
                .toList();
    }

    private static boolean inContract(String method, String path) {
        if (method.equals("OPTIONS") || method.equals("HEAD")) return false;
        if (path.startsWith("/api/v1/openapi.json") || path.startsWith("/api/v1/test-support/")) return false;
        return path.startsWith("/api/") || path.startsWith("/.well-known/");
    }

    private static String pathOf(String pathAndQuery) {
        int query = pathAndQuery.indexOf('?');
        return query < 0 ? pathAndQuery : pathAndQuery.substring(0, query);
    }

    private static OpenApiInteractionValidator validator(String base) {
        return VALIDATORS.computeIfAbsent(
                base,
                b -> OpenApiInteractionValidator.createForInlineApiSpecification(document(b))
                        .build());
    }

    /** The document as the running app serves it (a test keeps it equal to the committed docs/openapi.json). */
    static String document(String base) {
        try {
            HttpResponse<String> doc = CLIENT.send(
                    HttpRequest.newBuilder(URI.create(base + "/api/v1/openapi.json"))
                            .timeout(Duration.ofSeconds(30))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            if (doc.statusCode() != 200) {
                throw new AssertionError("the OpenAPI document answered " + doc.statusCode() + ": " + doc.body());
            }
            return doc.body();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
