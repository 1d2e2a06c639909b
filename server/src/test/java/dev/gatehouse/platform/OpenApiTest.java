package dev.gatehouse.platform;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.support.EndToEndTest;
import dev.gatehouse.support.Http;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** The OpenAPI 3.1 document and the browsable reference at {@code /docs}, reachable without a token. */
class OpenApiTest extends EndToEndTest {

    private JsonNode document() {
        Http.Response response = http.get("/api/v1/openapi.json").send();
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.header("Content-Type")).startsWith("application/json");
        return Http.JSON.readTree(response.body());
    }

    @Test
    void documentIsOpenApi31WithTitleVersionAndBearerSecurity() {
        JsonNode doc = document();
        assertThat(doc.get("openapi").asString()).startsWith("3.1.");
        assertThat(doc.get("info").get("title").asString()).isEqualTo("Gatehouse API");
        assertThat(doc.get("info").get("version").asString()).isEqualTo(OpenApiConfiguration.API_VERSION);
        JsonNode scheme = doc.get("components").get("securitySchemes").get("bearer");
        assertThat(scheme.get("type").asString()).isEqualTo("http");
        assertThat(scheme.get("scheme").asString()).isEqualTo("bearer");
        assertThat(scheme.get("bearerFormat").asString()).isEqualTo("JWT");
        assertThat(doc.get("security").get(0).has("bearer")).isTrue();
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
    void publicRoutesDeclareNoSecurity() {
        JsonNode paths = document().get("paths");
        paths.properties().forEach(entry -> {
            boolean open =
                    entry.getKey().startsWith("/api/v1/auth/") || entry.getKey().startsWith("/.well-known/");
            entry.getValue().values().forEach(operation -> {
                if (!operation.isObject() || !operation.has("responses")) return;
                if (open) {
                    assertThat(operation.get("security")).as(entry.getKey()).isNotNull();
                    assertThat(operation.get("security").isEmpty())
                            .as(entry.getKey())
                            .isTrue();
                } else {
                    assertThat(operation.has("security")).as(entry.getKey()).isFalse();
                }
            });
        });
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
