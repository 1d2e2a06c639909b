package dev.gatehouse.client.flags;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class Murmur3Test {

    private static int hash(String s, int seed) {
        return Murmur3.hash32(s.getBytes(StandardCharsets.UTF_8), seed);
    }

    @Test
    void matchesTheReferenceImplementationsPublishedVectors() {
        assertThat(hash("", 0)).isEqualTo(0);
        assertThat(hash("", 1)).isEqualTo(0x514E28B7);
        assertThat(hash("", 0xffffffff)).isEqualTo(0x81F16F39);
        assertThat(hash("a", 0x9747b28c)).isEqualTo(0x7FA09EA6);
        assertThat(hash("abc", 0x9747b28c)).isEqualTo(0xC84A62DD);
        assertThat(hash("abcd", 0x9747b28c)).isEqualTo(0xF0478627);
        assertThat(hash("Hello, world!", 0x9747b28c)).isEqualTo(0x24884CBA);
        assertThat(hash("The quick brown fox jumps over the lazy dog", 0x9747b28c))
                .isEqualTo(0x2FA826CD);
        assertThat(hash("hello", 0)).isEqualTo(0x248BFA47);
    }

    @Test
    void aBucketIsTheUnsignedHashModuloPlusOne() {
        // "gr1:123" hashes above 2^31 (negative as an int): a signed modulo would give a wrong, negative bucket.
        for (String id : new String[] {"123", "999", "7", "user-42", "ø"}) {
            long unsigned = Integer.toUnsignedLong(hash("gr1:" + id, 0));
            assertThat(Murmur3.bucket("gr1", id, 100, 0))
                    .isEqualTo((int) (unsigned % 100) + 1)
                    .isBetween(1, 100);
        }
    }
}
