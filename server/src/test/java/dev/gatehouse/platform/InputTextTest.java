package dev.gatehouse.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@link InputText}'s rule and strict decoding, and the parameter syntax of {@link StrictInputFilter}. */
class InputTextTest {

    @Test
    void controlCharactersOtherThanTabAndLineBreaksAreRefused() {
        for (char c = 0; c < 0x20; c++) {
            boolean allowed = c == '\t' || c == '\n' || c == '\r';
            assertThat(InputText.refusal("a" + c + "b"))
                    .as("U+%04X", (int) c)
                    .isEqualTo(allowed ? null : InputText.CONTROL_CHARACTER);
        }
        for (char c = 0x7F; c <= 0x9F; c++) {
            assertThat(InputText.refusal("a" + c)).as("U+%04X", (int) c).isEqualTo(InputText.CONTROL_CHARACTER);
        }
    }

    @Test
    void loneSurrogatesAreRefusedAndPairsAccepted() {
        assertThat(InputText.refusal("\ud800")).isEqualTo(InputText.NOT_UNICODE);
        assertThat(InputText.refusal("x\udc00")).isEqualTo(InputText.NOT_UNICODE);
        assertThat(InputText.refusal("\udc00\ud800")).isEqualTo(InputText.NOT_UNICODE);
        assertThat(InputText.refusal("naïve 日本 😀 \u202e")).isNull();
        assertThat(InputText.refusal("")).isNull();
    }

    private static String decode(String raw, boolean plusIsSpace) throws InputText.Refused {
        byte[] bytes = raw.getBytes(StandardCharsets.ISO_8859_1);
        return InputText.decode(bytes, 0, bytes.length, plusIsSpace);
    }

    @Test
    void decodingIsStrict() throws InputText.Refused {
        assertThat(decode("a%20b+c%2Bd", true)).isEqualTo("a b c+d");
        assertThat(decode("a+b", false)).isEqualTo("a+b");
        assertThat(decode("%C3%A9t%C3%A9", false)).isEqualTo("été");
        assertThat(decode("\u00c3\u00a9", false)).as("raw UTF-8 bytes").isEqualTo("é");
        for (String bad : List.of("%ZZ", "%", "%4", "a%g1")) {
            assertThatThrownBy(() -> decode(bad, true)).as(bad).hasMessage(InputText.BAD_ESCAPE);
        }
        for (String bad : List.of("%C0%80", "%C1%81", "%ED%A0%80", "%FF", "%E2%82", "%F8%88%80%80%80", "\u00ff")) {
            assertThatThrownBy(() -> decode(bad, true)).as(bad).hasMessage(InputText.NOT_UTF8);
        }
        assertThatThrownBy(() -> decode("a%00b", true)).hasMessage(InputText.CONTROL_CHARACTER);
    }

    private static Map<String, List<String>> parse(String raw) throws StrictInputFilter.InvalidParameter {
        Map<String, List<String>> into = new LinkedHashMap<>();
        StrictInputFilter.parse(raw.getBytes(StandardCharsets.ISO_8859_1), into);
        return into;
    }

    @Test
    void parametersFollowTheContainersSyntax() throws StrictInputFilter.InvalidParameter {
        assertThat(parse("a=1&b=&c&=skipped&&a=2&d=x%3Dy=z"))
                .containsExactly(
                        Map.entry("a", List.of("1", "2")),
                        Map.entry("b", List.of("")),
                        Map.entry("c", List.of("")),
                        Map.entry("d", List.of("x=y=z")));
        assertThat(parse("")).isEmpty();
    }

    @Test
    void aRefusedParameterIsNamed() {
        assertThatThrownBy(() -> parse("ok=1&email=a%00b"))
                .isInstanceOfSatisfying(
                        StrictInputFilter.InvalidParameter.class,
                        e -> assertThat(e.problem()
                                        .getProperties()
                                        .get("errors")
                                        .toString())
                                .contains("field=email"));
        assertThatThrownBy(() -> parse("na%ZZme=1"))
                .isInstanceOfSatisfying(
                        StrictInputFilter.InvalidParameter.class,
                        e -> assertThat(e.problem()
                                        .getProperties()
                                        .get("errors")
                                        .toString())
                                .contains("field=na%ZZme"));
        assertThatThrownBy(() -> parse("p=1&".repeat(StrictInputFilter.MAX_PARAMETERS + 1)))
                .isInstanceOfSatisfying(
                        StrictInputFilter.InvalidParameter.class,
                        e -> assertThat(e.problem().getProperties().get("code")).isEqualTo("too_many_parameters"));
    }
}
