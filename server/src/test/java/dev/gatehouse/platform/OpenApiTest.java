package dev.gatehouse.platform;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.support.EndToEndTest;
import dev.gatehouse.support.Http;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The OpenAPI 3.1 document and the browsable reference at {@code /docs}, reachable without a token. That the
 * document describes every answer is checked on every end-to-end response ({@code ApiContract}); these tests
 * pin what it must say besides.
 */
class OpenApiTest extends EndToEndTest {

    private JsonNode document() {
        Http.Response response = http.get("/api/v1/openapi.json").send();
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.header("Content-Type")).startsWith("application/json");
        return Http.JSON.readTree(response.body());
    }

    @Test
    void documentIsOpenApi31WithTitleVersionAndSecuritySchemes() {
        JsonNode doc = document();
        assertThat(doc.get("openapi").asString()).startsWith("3.1.");
        assertThat(doc.get("info").get("title").asString()).isEqualTo("Gatehouse API");
        assertThat(doc.get("info").get("version").asString()).isEqualTo(OpenApiConfiguration.API_VERSION);
        JsonNode scheme = doc.get("components").get("securitySchemes").get("bearer");
        assertThat(scheme.get("type").asString()).isEqualTo("http");
        assertThat(scheme.get("scheme").asString()).isEqualTo("bearer");
        assertThat(scheme.get("bearerFormat").asString()).isEqualTo("JWT");
        JsonNode service = doc.get("components").get("securitySchemes").get("service_key");
        assertThat(service.get("scheme").asString()).isEqualTo("bearer");
        // Security is stated per operation, so no operation inherits a requirement it does not have.
        assertThat(doc.has("security")).isFalse();
        // The server is the one serving the document, wherever that is.
        assertThat(doc.get("servers").get(0).get("url").asString()).isEqualTo("/");
    }

    @Test
    void deprecatedRoutesAreFlagged() {
        JsonNode paths = document().get("paths");
        JsonNode old = paths.get("/api/v1/test-support/old-widgets").get("get");
        assertThat(old.get("deprecated").asBoolean()).isTrue();
        assertThat(old.get("description").asString()).contains("Wed, 30 Jun 2027");
        JsonNode current = paths.get("/api/v1/test-support/widgets/{name}").get("get");
        assertThat(current.has("deprecated")).isFalse();
    }

    @Test
    void everyOperationStatesTheSecurityItsPermissionNeeds() {
        operations(document()).forEach((route, operation) -> {
            JsonNode security = operation.get("security");
            assertThat(security).as(route).isNotNull();
            String path = route.substring(route.indexOf(' ') + 1);
            if (path.startsWith("/api/v1/auth/")
                    || path.startsWith("/.well-known/")
                    || path.equals("/api/v1/plans")
                    || path.equals("/api/v1/credits/unit")
                    || path.equals("/api/v1/billing/stripe/webhook")) {
                assertThat(security.isEmpty()).as(route + " is public").isTrue();
            } else if (path.equals("/api/v1/usage/events")) {
                // The product's backend, or an organization's API key.
                assertThat(security).as(route).hasSize(2);
                assertThat(security.get(0).has("service_key")).as(route).isTrue();
                assertThat(security.get(1).has("org_key")).as(route).isTrue();
            } else if (path.equals("/api/v1/keys/verify")
                    || path.equals("/api/v1/gates/check")
                    || path.equals("/api/v1/ratelimit/check")
                    || path.startsWith("/api/v1/flags/")
                    || path.equals("/api/v1/quotas/consume")
                    || path.equals("/api/v1/credits/debits")
                    || path.startsWith("/api/v1/credits/reservations")) {
                assertThat(security).as(route + ": service keys only").hasSize(1);
                assertThat(security.get(0).has("service_key")).as(route).isTrue();
            } else if (path.equals("/api/v1/entitlements/check") || path.equals("/api/v1/orgs/{org}/usage")) {
                // Either a person's token or a service key: two alternative requirements.
                assertThat(security).as(route).hasSize(2);
                assertThat(security.get(0).has("bearer")).as(route).isTrue();
                assertThat(security.get(1).has("service_key")).as(route).isTrue();
            } else {
                assertThat(security.get(0).has("bearer")).as(route).isTrue();
            }
        });
    }

    @Test
    void memberNamesAreTheSnakeCaseTheApiSpeaks() {
        JsonNode schemas = document().get("components").get("schemas");
        schemas.properties().forEach(schema -> {
            JsonNode properties = schema.getValue().get("properties");
            if (properties == null) return;
            properties
                    .propertyNames()
                    .forEach(name -> assertThat(name).as(schema.getKey()).matches("[a-z][a-z0-9]*(_[a-z0-9]+)*"));
        });
        // The sign-in flow a generated client needs, by name.
        assertThat(schemas.get("TokenResponse").get("properties").propertyNames())
                .containsExactlyInAnyOrder("access_token", "refresh_token", "token_type", "expires_in");
        assertThat(schemas.get("RefreshRequest").get("required").get(0).asString())
                .isEqualTo("refresh_token");
        assertThat(schemas.get("LoginMfaRequest").get("properties").has("mfa_token"))
                .isTrue();
    }

    @Test
    void requiredMembersAndConstraintsAreThoseTheApiEnforces() {
        JsonNode schemas = document().get("components").get("schemas");
        JsonNode register = schemas.get("RegisterRequest");
        assertThat(strings(register.get("required"))).containsExactlyInAnyOrder("email", "password");
        JsonNode name = register.get("properties").get("name");
        assertThat(name.get("minLength").asInt()).isEqualTo(1);
        assertThat(name.get("maxLength").asInt()).isEqualTo(200);
        assertThat(register.get("properties").get("email").get("minLength").asInt())
                .isEqualTo(1);
        // Responses: what is never null is always there (nulls are left out).
        assertThat(strings(schemas.get("TokenResponse").get("required")))
                .containsExactlyInAnyOrder("access_token", "refresh_token", "token_type", "expires_in");
        assertThat(strings(schemas.get("Me").get("required")))
                .contains("id", "email")
                .doesNotContain("session_id");
        // A @JsonRawValue member is the JSON it holds, not a string.
        assertThat(schemas.get("AuditEventView")
                        .get("properties")
                        .get("details")
                        .has("type"))
                .isFalse();
        // No "at least nothing" noise anywhere.
        assertThat(document().toString()).doesNotContain("\"minLength\":0").doesNotContain("\"minItems\":0");
    }

    @Test
    void successCodesAreTheOnesTheRoutesAnswer() {
        JsonNode paths = document().get("paths");
        assertThat(paths.get("/api/v1/auth/register")
                        .get("post")
                        .get("responses")
                        .has("201"))
                .isTrue();
        assertThat(paths.get("/api/v1/auth/password/forgot")
                        .get("post")
                        .get("responses")
                        .has("202"))
                .isTrue();
        assertThat(paths.get("/api/v1/auth/logout").get("post").get("responses").has("204"))
                .isTrue();
        assertThat(paths.get("/api/v1/orgs").get("post").get("responses").has("201"))
                .isTrue();
        operations(document())
                .forEach((route, operation) -> assertThat(
                                operation.get("responses").propertyNames())
                        .as(route)
                        .filteredOn(status -> status.startsWith("2"))
                        .hasSize(1));
    }

    @Test
    void everyProblemIsDocumentedAsProblemJson() {
        operations(document()).forEach((route, operation) -> {
            JsonNode responses = operation.get("responses");
            assertThat(responses.has("default")).as(route).isTrue();
            assertThat(responses.has("400")).as(route).isTrue();
            responses.properties().forEach(response -> {
                // 2xx are answers, and a 304 (a conditional GET, such as the flag snapshot's) has no body at all
                if (response.getKey().startsWith("2") || response.getKey().equals("304")) return;
                JsonNode content = response.getValue().get("content");
                assertThat(content.propertyNames()).as(route).containsExactly("application/problem+json");
                assertThat(content.get("application/problem+json")
                                .get("schema")
                                .get("$ref")
                                .asString())
                        .isEqualTo("#/components/schemas/Problem");
            });
        });
    }

    @Autowired
    @Qualifier("requestMappingHandlerMapping")
    private RequestMappingHandlerMapping mappings;

    @Test
    void everyOperationHasAnExplicitIdAndItsModuleAsItsOneTag() {
        Set<String> modules = Set.of(
                "Identity",
                "Organization",
                "API keys",
                "Audit",
                "Jobs",
                "Notification",
                "Catalog",
                "Subscription",
                "Feature flags",
                "Onboarding",
                "Rate limits",
                "Metering",
                "Credits",
                "Billing",
                "Admin");
        JsonNode doc = document();
        List<String> ids = new ArrayList<>();
        operations(doc).forEach((route, operation) -> {
            ids.add(operation.get("operationId").asString());
            assertThat(strings(operation.get("tags"))).as(route).hasSize(1).allMatch(modules::contains);
        });
        assertThat(ids).doesNotHaveDuplicates().allMatch(id -> id.matches("[a-z][A-Za-z]+"));
        // Declared by hand, so a rename in Java does not silently rename a generated client's method.
        mappings.getHandlerMethods().forEach((info, handler) -> {
            if (!PermissionInterceptor.ours(handler) || handler.getBeanType() == PlatformTestController.class) return;
            if (info.getPatternValues().stream().noneMatch(p -> p.startsWith("/api/") || p.startsWith("/.well-known/")))
                return;
            io.swagger.v3.oas.annotations.Operation operation =
                    handler.getMethodAnnotation(io.swagger.v3.oas.annotations.Operation.class);
            assertThat(operation).as(handler.toString()).isNotNull();
            assertThat(operation.operationId()).as(handler.toString()).isNotEmpty();
        });
    }

    /**
     * docs/openapi.json is the document as the app serves it (less the routes only tests have): the generated
     * client test compiles against it, and API reviews read its diff. On a change, the test leaves the new
     * document in target/openapi.json to copy over.
     */
    @Test
    void committedDocumentIsTheServedOne() throws IOException {
        ObjectNode served = (ObjectNode) document();
        ObjectNode paths = (ObjectNode) served.get("paths");
        paths.propertyNames().stream()
                .filter(p -> p.startsWith("/api/v1/test-support/"))
                .toList()
                .forEach(paths::remove);
        ObjectNode schemas = (ObjectNode) served.get("components").get("schemas");
        Set<String> used = referencedSchemas(served);
        schemas.propertyNames().stream()
                .filter(name -> !used.contains(name))
                .toList()
                .forEach(schemas::remove);
        Set<String> tags = new TreeSet<>();
        operations(served).values().forEach(operation -> tags.addAll(strings(operation.get("tags"))));
        ArrayNode listed = (ArrayNode) served.get("tags");
        for (int i = listed.size() - 1; i >= 0; i--) {
            if (!tags.contains(listed.get(i).get("name").asString())) listed.remove(i);
        }
        String pretty = Http.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(served) + "\n";
        Path committed = Path.of("..", "docs", "openapi.json");
        Files.writeString(Path.of("target", "openapi.json"), pretty);
        assertThat(Files.exists(committed) ? Http.JSON.readTree(Files.readString(committed)) : null)
                .as("docs/openapi.json is out of date: cp server/target/openapi.json docs/openapi.json")
                .isEqualTo(Http.JSON.readTree(pretty));
    }

    /** The component schemas the paths use, directly or through other schemas. */
    private static Set<String> referencedSchemas(JsonNode doc) {
        Set<String> used = new TreeSet<>();
        Deque<JsonNode> todo = new ArrayDeque<>(List.of(doc.get("paths")));
        while (!todo.isEmpty()) {
            JsonNode node = todo.pop();
            JsonNode ref = node.get("$ref");
            if (ref != null && ref.isString() && ref.asString().startsWith("#/components/schemas/")) {
                String name = ref.asString().substring("#/components/schemas/".length());
                if (used.add(name))
                    todo.push(doc.get("components").get("schemas").get(name));
            }
            node.values().forEach(child -> {
                if (child.isContainer()) todo.push(child);
            });
        }
        return used;
    }

    /** Every operation of the document, as "METHOD /path", without the routes only tests have. */
    private static Map<String, JsonNode> operations(JsonNode doc) {
        Map<String, JsonNode> operations = new TreeMap<>();
        doc.get("paths").properties().forEach(path -> {
            if (path.getKey().startsWith("/api/v1/test-support/")) return;
            path.getValue().properties().forEach(method -> {
                if (method.getValue().has("responses")) {
                    operations.put(method.getKey().toUpperCase(Locale.ROOT) + " " + path.getKey(), method.getValue());
                }
            });
        });
        assertThat(operations).isNotEmpty();
        return operations;
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.values().forEach(v -> out.add(v.asString()));
        return out;
    }

    @Test
    void docsRedirectToASwaggerUiThatLoadsUnderItsCsp() {
        Http.Response docs = http.get("/docs").send();
        assertThat(docs.status()).isIn(301, 302);
        String location = docs.header("Location");
        assertThat(location).isNotBlank();

        Http.Response page = http.get(
                        location.startsWith("http")
                                ? location.substring(http.base().length())
                                : location)
                .send();
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.header("Content-Type")).startsWith("text/html");
        String csp = page.header("Content-Security-Policy");
        assertThat(csp).contains("script-src 'self'").doesNotContain("unsafe-eval");
        // script-src has no 'unsafe-inline', so the page must not rely on inline scripts.
        assertThat(csp.substring(csp.indexOf("script-src"))).doesNotStartWith("script-src 'self' 'unsafe-inline'");
        Matcher scripts = Pattern.compile("<script([^>]*)>").matcher(page.body());
        int count = 0;
        while (scripts.find()) {
            assertThat(scripts.group(1))
                    .as("every script is a same-origin file")
                    .contains("src=\"./");
            count++;
        }
        assertThat(count).isPositive();

        for (String asset : new String[] {
            "/swagger-ui/swagger-ui.css",
            "/swagger-ui/swagger-ui-bundle.js",
            "/swagger-ui/swagger-ui-standalone-preset.js",
            "/swagger-ui/swagger-initializer.js"
        }) {
            assertThat(http.get(asset).send().status()).as(asset).isEqualTo(200);
        }
        String initializer =
                http.get("/swagger-ui/swagger-initializer.js").send().body();
        Matcher configUrl =
                Pattern.compile("\"configUrl\"\\s*:\\s*\"([^\"]+)\"").matcher(initializer);
        assertThat(configUrl.find()).as(initializer).isTrue();
        Http.Response config = http.get(configUrl.group(1)).send();
        assertThat(config.status()).isEqualTo(200);
        assertThat(config.json().get("url").asString()).isEqualTo("/api/v1/openapi.json");
    }
}
