package dev.gatehouse.client.flags;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Unleash's client specification (npm {@code @unleash/client-specification} 6.1.0, vendored under
 * {@code unleash-client-specification/}) run through {@link UnleashImport} and {@link FlagEngine}: every
 * enablement and variant case, one dynamic test each. The server runs the same cases over HTTP.
 */
class UnleashSpecificationTest {

    static final String BASE = "/unleash-client-specification/specifications/";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    static JsonNode read(String name) {
        try (InputStream in = UnleashSpecificationTest.class.getResourceAsStream(BASE + name)) {
            if (in == null) throw new IllegalStateException("missing " + name);
            return JSON.readTree(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static List<String> files() {
        List<String> names = new ArrayList<>();
        for (JsonNode n : read("index.json").values()) names.add(n.asString());
        return names;
    }

    /** An Unleash context (camelCase members, free-form properties) as a Gatehouse context. */
    static FlagContext context(JsonNode unleash) {
        FlagContext.Builder b = FlagContext.builder();
        for (Map.Entry<String, JsonNode> e : unleash.properties()) {
            if (e.getKey().equals("properties")) {
                for (Map.Entry<String, JsonNode> p : e.getValue().properties()) {
                    if (!p.getValue().isNull()) b.set(p.getKey(), text(p.getValue()));
                }
            } else if (!e.getValue().isNull()) {
                b.set(UnleashImport.contextName(e.getKey()), text(e.getValue()));
            }
        }
        return b.build();
    }

    private static String text(JsonNode n) {
        return n.isString() ? n.stringValue() : n.toString();
    }

    @Test
    void theVendoredSpecificationIsComplete() {
        int enablement = 0;
        int variants = 0;
        for (String file : files()) {
            JsonNode spec = read(file);
            enablement += spec.path("tests").size();
            variants += spec.path("variantTests").size();
        }
        assertThat(enablement).isEqualTo(227);
        assertThat(variants).isEqualTo(52);
    }

    @TestFactory
    Stream<DynamicNode> everyCase() {
        return files().stream().map(file -> {
            JsonNode spec = read(file);
            UnleashImport.Result imported = UnleashImport.convert(spec.get("state"));
            FlagEngine engine = FlagEngine.of(new Snapshot(null, imported.flags(), imported.segments(), null, false));
            List<DynamicNode> cases = new ArrayList<>();
            for (JsonNode t : spec.path("tests").values()) {
                cases.add(DynamicTest.dynamicTest(t.get("description").asString(), () -> {
                    boolean enabled = engine.isEnabled(t.get("toggleName").asString(), context(t.get("context")));
                    assertThat(enabled)
                            .as("%s: %s (warnings %s)", file, t.get("description"), imported.warnings())
                            .isEqualTo(t.get("expectedResult").asBoolean());
                }));
            }
            for (JsonNode t : spec.path("variantTests").values()) {
                cases.add(DynamicTest.dynamicTest(t.get("description").asString(), () -> {
                    Evaluation e = engine.evaluate(t.get("toggleName").asString(), context(t.get("context")));
                    JsonNode expected = t.get("expectedResult");
                    String what = file + ": " + t.get("description") + " got " + e;
                    assertThat(e.variant().name())
                            .as(what)
                            .isEqualTo(expected.get("name").asString());
                    assertThat(e.variant().enabled())
                            .as(what)
                            .isEqualTo(expected.get("enabled").asBoolean());
                    JsonNode featureEnabled = expected.has("feature_enabled")
                            ? expected.get("feature_enabled")
                            : expected.get("featureEnabled");
                    if (featureEnabled != null) assertThat(e.enabled()).as(what).isEqualTo(featureEnabled.asBoolean());
                    JsonNode payload = expected.get("payload");
                    if (payload == null || payload.isNull()) {
                        assertThat(e.variant().payload()).as(what).isNull();
                    } else {
                        assertThat(e.variant().payload()).as(what).isNotNull();
                        assertThat(e.variant().payload().type())
                                .as(what)
                                .isEqualTo(payload.get("type").asString());
                        assertThat(e.variant().payload().value())
                                .as(what)
                                .isEqualTo(payload.get("value").asString());
                    }
                }));
            }
            return DynamicContainer.dynamicContainer(file, cases);
        });
    }
}
