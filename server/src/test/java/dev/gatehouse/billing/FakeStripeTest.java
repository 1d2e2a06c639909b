package dev.gatehouse.billing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/**
 * The fake Stripe server's own promises: it speaks the pinned SDK's API version, its JSON is JSON (Jackson reads
 * what it writes, and it reads what Jackson writes), and it runs with the JDK alone, as the README's tour starts it.
 */
class FakeStripeTest {

    private static final JsonMapper JACKSON = JsonMapper.builder().build();

    @Test
    void eventsCarryThePinnedSdksApiVersion() {
        assertThat(FakeStripe.API_VERSION).isEqualTo(com.stripe.Stripe.API_VERSION);
    }

    @Test
    void itsJsonRoundTripsThroughJackson() {
        Map<String, Object> nested = new LinkedHashMap<>();
        nested.put("quote\"back\\slash", "line\nbreak\ttab\u0001 é ✓");
        nested.put("none", null);
        nested.put("list", List.of(1L, -2L, true, false, Map.of()));
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("id", "evt_1");
        doc.put("amount", 1999L);
        doc.put("ratio", 0.5);
        doc.put("data", Map.of("object", nested));
        doc.put("empty", new ArrayList<>());

        String written = FakeStripe.Json.write(doc);
        assertThat(JACKSON.readTree(written)).isEqualTo(JACKSON.readTree(JACKSON.writeValueAsString(doc)));
        assertThat(FakeStripe.Json.parse(written)).isEqualTo(doc);
        assertThat(FakeStripe.Json.parse(JACKSON.writeValueAsString(doc))).isEqualTo(doc);
        assertThat(FakeStripe.Json.parse(" {\"a\" : [ 1 , {\"b\":\"\\u00e9\\/\"} ] } "))
                .isEqualTo(Map.of("a", List.of(1L, Map.of("b", "é/"))));
    }

    @Test
    void malformedJsonIsRefused() {
        for (String bad : new String[] {"{", "{\"a\":}", "[1,]", "\"open", "{\"a\":1} x", "nul"}) {
            assertThatThrownBy(() -> FakeStripe.Json.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void runsWithTheJdkAloneThroughTheSourceLauncher() throws Exception {
        Path source = Path.of("src/test/java/dev/gatehouse/billing/FakeStripe.java");
        assertThat(Files.exists(source)).as("run from the server module").isTrue();
        String java = ProcessHandle.current().info().command().orElse("java");
        ProcessBuilder launch = new ProcessBuilder(java, source.toString(), "--port", "0").redirectErrorStream(true);
        launch.environment().remove("CLASSPATH"); // nothing but the JDK
        Process fake = launch.start();
        try (BufferedReader out =
                new BufferedReader(new InputStreamReader(fake.getInputStream(), StandardCharsets.UTF_8))) {
            // The first line says where it listens, once it compiled and started (on a busy machine, in a while).
            String first = out.readLine();
            assertThat(first).as("the source launcher's output").startsWith("Fake Stripe listening on http://");
        } finally {
            fake.destroy();
            fake.waitFor(30, TimeUnit.SECONDS);
        }
    }
}
