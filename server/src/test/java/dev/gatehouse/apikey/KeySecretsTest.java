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
            String org = KeySecrets.ORG.generate();
            String service = KeySecrets.SERVICE.generate();
            assertThat(org).matches("gh_pk_[A-Za-z0-9_-]{43}");
            assertThat(service).matches("gh_sk_[A-Za-z0-9_-]{43}");
            assertThat(KeySecrets.ORG.wellFormed(org)).isTrue();
            assertThat(KeySecrets.SERVICE.wellFormed(org)).isFalse();
            assertThat(KeySecrets.SERVICE.wellFormed(service)).isTrue();
            assertThat(KeySecrets.visiblePrefix(org)).hasSize(12).startsWith("gh_pk_");
            seen.add(org);
            seen.add(service);
        }
        assertThat(seen).hasSize(2_000);
    }

    @Test
    void onlyTheExactShapeIsWellFormed() {
        String good = KeySecrets.ORG.generate();
        assertThat(KeySecrets.ORG.wellFormed(good.substring(0, 48))).isFalse();
        assertThat(KeySecrets.ORG.wellFormed(good + "A")).isFalse();
        assertThat(KeySecrets.ORG.wellFormed(good.substring(0, 48) + "=")).isFalse();
        assertThat(KeySecrets.ORG.wellFormed(good.substring(0, 48) + "+")).isFalse();
        assertThat(KeySecrets.ORG.wellFormed(" " + good.substring(1))).isFalse();
        assertThat(KeySecrets.ORG.wellFormed("")).isFalse();
    }

    @Test
    void theHashIsTheSha256OfTheKeyAndRoundTripsThroughItsBytes() throws Exception {
        String key = KeySecrets.ORG.generate();
        byte[] expected = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
        KeyHash hash = KeySecrets.hash(key);
        assertThat(hash.bytes()).isEqualTo(expected);
        assertThat(KeyHash.of(hash.bytes())).isEqualTo(hash).hasSameHashCodeAs(hash);
        assertThat(KeySecrets.hash(key)).isEqualTo(hash);
        assertThat(KeySecrets.hash(KeySecrets.ORG.generate())).isNotEqualTo(hash);
    }
}
