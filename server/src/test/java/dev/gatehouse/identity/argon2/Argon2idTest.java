package dev.gatehouse.identity.argon2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;
import org.junit.jupiter.api.Test;

/** Our Argon2id against the RFC's test vector and against BouncyCastle's independent implementation. */
class Argon2idTest {

    @Test
    void rfc9106TestVector() {
        // RFC 9106 §5.3: Argon2id, m=32 KiB, t=3, p=4, with secret and associated data.
        byte[] password = filled(32, 0x01);
        byte[] salt = filled(16, 0x02);
        byte[] secret = filled(8, 0x03);
        byte[] associated = filled(12, 0x04);

        byte[] tag = Argon2id.hash(password, salt, secret, associated, 32, 3, 4, 32);

        assertThat(HexFormat.of().formatHex(tag))
                .isEqualTo("0d640df58d78766c08c037a34a8b53c9d01ef0452d75b65eb52520e96b01e659");
    }

    @Test
    void sameBytesAsBouncyCastleAcrossParameters() {
        SplittableRandom random = new SplittableRandom(20261122);
        int[][] params = {
            {7168, 5, 1, 32},
            {8, 1, 1, 4},
            {64, 1, 1, 16},
            {100, 2, 3, 64},
            {256, 3, 4, 100},
            {1024, 2, 2, 1024},
            {4099, 1, 1, 65},
            {67, 4, 8, 32},
            {512, 1, 1, 128},
        };
        for (int[] p : params) {
            byte[] password = bytes(random, random.nextInt(0, 80));
            byte[] salt = bytes(random, random.nextInt(8, 40));
            byte[] ours = Argon2id.hash(password, salt, p[0], p[1], p[2], p[3]);
            assertThat(ours)
                    .as("m=%d t=%d p=%d T=%d", p[0], p[1], p[2], p[3])
                    .isEqualTo(bouncyCastle(password, salt, p));
        }
    }

    @Test
    void reusedPerThreadMemoryDoesNotLeakBetweenHashes() throws Exception {
        // A big hash then a small one on the same thread, then the big one again: the memory is reused,
        // and the results must not depend on what was in it before.
        byte[] salt = filled(16, 7);
        byte[] big = Argon2id.hash(filled(10, 1), salt, 2048, 2, 1, 32);
        byte[] small = Argon2id.hash(filled(10, 1), salt, 64, 2, 1, 32);
        assertThat(Argon2id.hash(filled(10, 1), salt, 2048, 2, 1, 32)).isEqualTo(big);
        assertThat(Argon2id.hash(filled(10, 1), salt, 64, 2, 1, 32)).isEqualTo(small);

        // And many threads at once each get the answer BouncyCastle gives.
        byte[] expected = bouncyCastle(filled(12, 9), salt, new int[] {1024, 2, 1, 32});
        try (ExecutorService pool = Executors.newFixedThreadPool(8)) {
            var futures = IntStream.range(0, 32)
                    .mapToObj(i -> pool.submit(() -> Argon2id.hash(filled(12, 9), salt, 1024, 2, 1, 32)))
                    .toList();
            for (Future<byte[]> f : futures) assertThat(f.get()).isEqualTo(expected);
        }
    }

    @Test
    void rejectsParametersOutsideTheSpec() {
        byte[] salt = filled(16, 2);
        assertThatThrownBy(() -> Argon2id.hash(new byte[1], salt, 7, 1, 1, 32))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Argon2id.hash(new byte[1], salt, 64, 0, 1, 32))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Argon2id.hash(new byte[1], salt, 64, 1, 0, 32))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Argon2id.hash(new byte[1], new byte[7], 64, 1, 1, 32))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Argon2id.hash(new byte[1], salt, 64, 1, 1, 3))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static byte[] bouncyCastle(byte[] password, byte[] salt, int[] p) {
        Argon2BytesGenerator generator = new Argon2BytesGenerator();
        generator.init(new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
                .withVersion(Argon2Parameters.ARGON2_VERSION_13)
                .withSalt(salt)
                .withMemoryAsKB(p[0])
                .withIterations(p[1])
                .withParallelism(p[2])
                .build());
        byte[] out = new byte[p[3]];
        generator.generateBytes(password, out);
        return out;
    }

    private static byte[] filled(int n, int value) {
        byte[] b = new byte[n];
        Arrays.fill(b, (byte) value);
        return b;
    }

    private static byte[] bytes(SplittableRandom random, int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }
}
