package dev.gatehouse.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Opaque tokens and their at-rest hashes, on plain objects. */
class OpaqueTokensTest {

    @Test
    void aTokenIsItsPrefixAnd256RandomBitsInBase64Url() {
        OpaqueTokens invitations = OpaqueTokens.prefixed("ghi_");
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 1_000; i++) {
            String token = invitations.generate();
            assertThat(token).matches("ghi_[A-Za-z0-9_-]{43}").hasSize(invitations.length());
            assertThat(invitations.wellFormed(token)).isTrue();
            seen.add(token);
        }
        assertThat(seen).hasSize(1_000);
        assertThat(OpaqueTokens.prefixed("").generate()).matches("[A-Za-z0-9_-]{43}");
    }

    @Test
    void onlyTheExactShapeOfItsOwnKindIsWellFormed() {
        OpaqueTokens refresh = OpaqueTokens.prefixed("ghr_");
        String good = refresh.generate();
        assertThat(OpaqueTokens.prefixed("ghm_").wellFormed(good)).isFalse();
        assertThat(refresh.wellFormed(good.substring(1))).isFalse();
        assertThat(refresh.wellFormed(good + "A")).isFalse();
        assertThat(refresh.wellFormed(good.substring(0, good.length() - 1) + "="))
                .isFalse();
        assertThat(refresh.wellFormed(good.substring(0, good.length() - 1) + "é"))
                .isFalse();
        assertThat(refresh.wellFormed("")).isFalse();
        assertThatThrownBy(() -> OpaqueTokens.prefixed("gh pk")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theAtRestFormIsTheSha256OfTheUtf8Text() throws Exception {
        for (String value : new String[] {OpaqueTokens.prefixed("gh_pk_").generate(), "", "é ünïcode"}) {
            byte[] expected = MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
            assertThat(OpaqueTokens.sha256(value)).isEqualTo(expected);
            assertThat(OpaqueTokens.matchesHash(value, expected)).isTrue();
            assertThat(OpaqueTokens.matchesHash(value + "x", expected)).isFalse();
        }
    }
}
