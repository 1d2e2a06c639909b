package dev.gatehouse.apikey;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Key secrets and their hashes, on plain objects. */
class KeySecretsTest {

    @Test
    void secretsAreAKindPrefixAnd256RandomBitsInBase64Url() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 1_000; i++) {
            String org = KeySecrets.generate(KeySecrets.ORG_PREFIX);
            String service = KeySecrets.generate(KeySecrets.SERVICE_PREFIX);
            assertThat(org).matches("gh_pk_[A-Za-z0-9_-]{43}");
            assertThat(service).matches("gh_sk_[A-Za-z0-9_-]{43}");
            assertThat(KeySecrets.wellFormed(org, KeySecrets.ORG_PREFIX)).isTrue();
            assertThat(KeySecrets.wellFormed(org, KeySecrets.SERVICE_PREFIX)).isFalse();
            assertThat(KeySecrets.wellFormed(service, KeySecrets.SERVICE_PREFIX))
                    .isTrue();
            assertThat(KeySecrets.visiblePrefix(org)).hasSize(12).startsWith("gh_pk_");
            seen.add(org);
            seen.add(service);
        }
        assertThat(seen).hasSize(2_000);
    }

    @Test
    void onlyTheExactShapeIsWellFormed() {
        String good = KeySecrets.generate(KeySecrets.ORG_PREFIX);
        assertThat(KeySecrets.wellFormed(good.substring(0, 48), KeySecrets.ORG_PREFIX))
                .isFalse();
        assertThat(KeySecrets.wellFormed(good + "A", KeySecrets.ORG_PREFIX)).isFalse();
        assertThat(KeySecrets.wellFormed(good.substring(0, 48) + "=", KeySecrets.ORG_PREFIX))
                .isFalse();
        assertThat(KeySecrets.wellFormed(good.substring(0, 48) + "+", KeySecrets.ORG_PREFIX))
                .isFalse();
        assertThat(KeySecrets.wellFormed(" " + good.substring(1), KeySecrets.ORG_PREFIX))
                .isFalse();
        assertThat(KeySecrets.wellFormed("", KeySecrets.ORG_PREFIX)).isFalse();
    }

    @Test
    void theHashIsTheSha256OfTheKeyAndRoundTripsThroughItsBytes() throws Exception {
        String key = KeySecrets.generate(KeySecrets.ORG_PREFIX);
        byte[] expected = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
        KeyHash hash = KeySecrets.hash(key);
        assertThat(hash.bytes()).isEqualTo(expected);
        assertThat(KeyHash.of(hash.bytes())).isEqualTo(hash).hasSameHashCodeAs(hash);
        assertThat(KeySecrets.hash(key)).isEqualTo(hash);
        assertThat(KeySecrets.hash(KeySecrets.generate(KeySecrets.ORG_PREFIX))).isNotEqualTo(hash);
    }
}
