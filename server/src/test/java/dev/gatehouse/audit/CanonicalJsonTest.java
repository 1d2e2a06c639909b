package dev.gatehouse.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The canonical JSON the chain hashes: pinned byte for byte, as docs/concepts.md documents it. */
class CanonicalJsonTest {

    @Test
    void sortsKeysAtEveryLevelAndLeavesNoWhitespace() {
        Map<String, Object> inner = new LinkedHashMap<>();
        inner.put("z", 1L);
        inner.put("a", Arrays.asList(true, null, "x"));
        Map<String, Object> outer = new LinkedHashMap<>();
        outer.put("b", inner);
        outer.put("a", false);
        outer.put("B", "upper sorts first");

        assertThat(CanonicalJson.write(outer))
                .isEqualTo("{\"B\":\"upper sorts first\",\"a\":false,\"b\":{\"a\":[true,null,\"x\"],\"z\":1}}");
    }

    @Test
    void escapesOnlyWhatJsonRequiresWithShortFormsAndLowercaseHex() {
        String raw = "q\" b\\ n\n r\r t\t b\b f\f unit\u001f del\u007f slash/ é 😀 \u2028";
        assertThat(CanonicalJson.write(raw))
                .isEqualTo("\"q\\\" b\\\\ n\\n r\\r t\\t b\\b f\\f unit\\u001f del\u007f slash/ é 😀 \u2028\"");
    }

    @Test
    void writesIntegersInPlainDecimal() {
        assertThat(CanonicalJson.write(
                        Arrays.asList(0L, -7L, Long.MAX_VALUE, new BigInteger("123456789012345678901234"))))
                .isEqualTo("[0,-7,9223372036854775807,123456789012345678901234]");
    }

    @Test
    void sortsKeysByUtf16CodeUnitsAsRfc8785Does() {
        // U+E000 is one code unit, larger than the high surrogate that starts U+1F600.
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("\uE000", 1L);
        map.put("😀", 2L);
        map.put("é", 3L);
        assertThat(CanonicalJson.write(map)).isEqualTo("{\"é\":3,\"😀\":2,\"\uE000\":1}");
    }

    @Test
    void storedJsonReadsBackToTheSameCanonicalText() {
        // PostgreSQL returns jsonb with its own key order and spacing; canonicalizing it again must give the
        // same text, or verify would report an intact row as altered.
        String stored = "{\"n\": 123456789012345678901234, \"a\": {\"y\": [1, \"\\u00e9\"], \"x\": null}}";
        assertThat(CanonicalJson.write(CanonicalJson.parse(stored)))
                .isEqualTo("{\"a\":{\"x\":null,\"y\":[1,\"é\"]},\"n\":123456789012345678901234}");
    }
}
