package dev.gatehouse.platform;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The firewall's header check by loop says exactly what Spring Security's default expression says. */
class FirewallRulesTest {

    private static final Pattern SPRING_DEFAULT = Pattern.compile("[\\p{IsAssigned}&&[^\\p{IsControl}]]*");

    @Test
    void sameVerdictAsTheDefaultExpressionForEveryCodePoint() {
        for (int cp = 0; cp <= Character.MAX_CODE_POINT; cp++) {
            if (Character.isSurrogate((char) cp) && cp <= 0xFFFF) continue;
            String s = "ab" + new String(Character.toChars(cp)) + "cd";
            assertThat(SecurityConfiguration.assignedAndNotControl(s))
                    .as("U+%04X", cp)
                    .isEqualTo(SPRING_DEFAULT.matcher(s).matches());
        }
    }

    @Test
    void typicalValues() {
        assertThat(SecurityConfiguration.assignedAndNotControl("Bearer eyJhbGciOiJFUzI1NiJ9.e30.sig"))
                .isTrue();
        assertThat(SecurityConfiguration.assignedAndNotControl("")).isTrue();
        assertThat(SecurityConfiguration.assignedAndNotControl("a\nb")).isFalse();
        assertThat(SecurityConfiguration.assignedAndNotControl("a\u0000b")).isFalse();
        assertThat(SecurityConfiguration.assignedAndNotControl("naïve 日本 😀")).isTrue();
    }
}
