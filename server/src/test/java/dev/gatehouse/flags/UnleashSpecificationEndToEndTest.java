package dev.gatehouse.flags;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.support.Http;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Unleash's client specification (npm {@code @unleash/client-specification} 6.1.0, vendored in the client
 * module's test resources with its license) over HTTP: each file's state goes through the import route, each
 * case through {@code POST /api/v1/flags/evaluate}. Every one of the 227 enablement and 52 variant cases must
 * pass. Before each file every flag and segment is deleted, because the files reuse names.
 */
class UnleashSpecificationEndToEndTest extends FlagTestSupport {

    private static final String BASE = "/unleash-client-specification/specifications/";

    private static JsonNode read(String name) {
        try (InputStream in = UnleashSpecificationEndToEndTest.class.getResourceAsStream(BASE + name)) {
            if (in == null) throw new IllegalStateException("missing " + name);
            return Http.JSON.readTree(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** An Unleash context (camelCase, properties) as the evaluation API's context (snake_case, properties). */
    private static String context(JsonNode unleash) {
        ObjectNode out = Http.JSON.createObjectNode();
        ObjectNode properties = out.putObject("properties");
        for (Map.Entry<String, JsonNode> e : unleash.properties()) {
            if (e.getKey().equals("properties")) {
                for (Map.Entry<String, JsonNode> p : e.getValue().properties()) {
                    if (p.getValue().isNull()) continue;
                    String value = p.getValue().isString()
                            ? p.getValue().stringValue()
                            : p.getValue().toString();
                    properties.put(p.getKey(), value);
                }
            } else if (!e.getValue().isNull()) {
                String name = dev.gatehouse.client.flags.UnleashImport.contextName(e.getKey());
                out.put(name, e.getValue().asString());
            }
        }
        return out.toString();
    }

    private void deleteEverything() {
        for (JsonNode f : http.get(FLAGS).bearer(admin()).send().json().get("data")) {
            String key = URLEncoder.encode(f.get("key").asString(), StandardCharsets.UTF_8)
                    .replace("+", "%20");
            assertThat(http.delete(FLAGS + "/" + key).bearer(admin()).send().status())
                    .isEqualTo(204);
        }
        for (JsonNode s : http.get("/api/v1/admin/flag-segments")
                .bearer(admin())
                .send()
                .json()
                .get("data")) {
            assertThat(http.delete("/api/v1/admin/flag-segments/"
                                    + s.get("name").asString())
                            .bearer(admin())
                            .send()
                            .status())
                    .isEqualTo(204);
        }
    }

    @Test
    void everyCaseOfTheSpecificationPassesThroughImportAndEvaluation() {
        killSwitch("global", false);
        int enablement = 0;
        int variants = 0;
        List<String> failures = new ArrayList<>();
        for (JsonNode file : read("index.json")) {
            JsonNode spec = read(file.asString());
            deleteEverything();
            Http.Response imported = http.post("/api/v1/admin/flag-imports")
                    .bearer(admin())
                    .body(spec.get("state").toString())
                    .send();
            assertThat(imported.status()).as(file + ": " + imported).isEqualTo(200);
            String warnings = imported.json().get("warnings").toString();
            for (JsonNode t : spec.path("tests")) {
                enablement++;
                JsonNode flag = answer(t);
                boolean actual = flag != null && flag.get("enabled").asBoolean();
                if (actual != t.get("expectedResult").asBoolean()) {
                    failures.add(file + ": " + t.get("description") + " expected " + t.get("expectedResult")
                            + " (warnings " + warnings + ")");
                }
            }
            for (JsonNode t : spec.path("variantTests")) {
                variants++;
                JsonNode flag = answer(t);
                JsonNode expected = t.get("expectedResult");
                String name = flag == null
                        ? "disabled"
                        : flag.get("variant").get("name").asString();
                boolean variantEnabled =
                        flag != null && flag.get("variant").get("enabled").asBoolean();
                boolean featureEnabled = flag != null && flag.get("enabled").asBoolean();
                JsonNode payload = flag == null ? null : flag.get("variant").get("payload");
                JsonNode expectedFeature = expected.has("feature_enabled")
                        ? expected.get("feature_enabled")
                        : expected.get("featureEnabled");
                boolean same = name.equals(expected.get("name").asString())
                        && variantEnabled == expected.get("enabled").asBoolean()
                        && (expectedFeature == null || featureEnabled == expectedFeature.asBoolean())
                        && samePayload(payload, expected.get("payload"));
                if (!same) failures.add(file + ": " + t.get("description") + " got " + flag + " expected " + expected);
            }
        }
        deleteEverything();
        assertThat(failures).isEmpty();
        assertThat(enablement).isEqualTo(227);
        assertThat(variants).isEqualTo(52);
    }

    private JsonNode answer(JsonNode testCase) {
        Http.Response r = evaluate(http, context(testCase.get("context")));
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        return r.json().get("flags").get(testCase.get("toggleName").asString());
    }

    private static boolean samePayload(JsonNode actual, JsonNode expected) {
        if (expected == null || expected.isNull()) return actual == null || actual.isNull();
        return actual != null
                && actual.get("type").asString().equals(expected.get("type").asString())
                && actual.get("value").asString().equals(expected.get("value").asString());
    }
}
