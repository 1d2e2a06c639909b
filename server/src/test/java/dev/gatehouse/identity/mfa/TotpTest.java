package dev.gatehouse.identity.mfa;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/** RFC 6238 TOTP and RFC 4648 Base32 on plain objects, checked against the RFCs' own test vectors. */
class TotpTest {

    // RFC 6238 Appendix B: one seed per algorithm, the ASCII digits repeated to the hash's size.
    private static final byte[] SEED_SHA1 = "12345678901234567890".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] SEED_SHA256 = "12345678901234567890123456789012".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] SEED_SHA512 =
            "1234567890123456789012345678901234567890123456789012345678901234".getBytes(StandardCharsets.US_ASCII);

    /** All 18 rows of RFC 6238 Appendix B (time in seconds, algorithm, the eight-digit TOTP). */
    static Stream<Arguments> rfc6238AppendixB() {
        return Stream.of(
                Arguments.of(59L, Totp.Algorithm.SHA1, "94287082"),
                Arguments.of(59L, Totp.Algorithm.SHA256, "46119246"),
                Arguments.of(59L, Totp.Algorithm.SHA512, "90693936"),
                Arguments.of(1111111109L, Totp.Algorithm.SHA1, "07081804"),
                Arguments.of(1111111109L, Totp.Algorithm.SHA256, "68084774"),
                Arguments.of(1111111109L, Totp.Algorithm.SHA512, "25091201"),
                Arguments.of(1111111111L, Totp.Algorithm.SHA1, "14050471"),
                Arguments.of(1111111111L, Totp.Algorithm.SHA256, "67062674"),
                Arguments.of(1111111111L, Totp.Algorithm.SHA512, "99943326"),
                Arguments.of(1234567890L, Totp.Algorithm.SHA1, "89005924"),
                Arguments.of(1234567890L, Totp.Algorithm.SHA256, "91819424"),
                Arguments.of(1234567890L, Totp.Algorithm.SHA512, "93441116"),
                Arguments.of(2000000000L, Totp.Algorithm.SHA1, "69279037"),
                Arguments.of(2000000000L, Totp.Algorithm.SHA256, "90698825"),
                Arguments.of(2000000000L, Totp.Algorithm.SHA512, "38618901"),
                Arguments.of(20000000000L, Totp.Algorithm.SHA1, "65353130"),
                Arguments.of(20000000000L, Totp.Algorithm.SHA256, "77737706"),
                Arguments.of(20000000000L, Totp.Algorithm.SHA512, "47863826"));
    }

    @ParameterizedTest(name = "T={0} {1} -> {2}")
    @MethodSource("rfc6238AppendixB")
    void matchesRfc6238AppendixB(long seconds, Totp.Algorithm algorithm, String expected) {
        byte[] seed = switch (algorithm) {
            case SHA1 -> SEED_SHA1;
            case SHA256 -> SEED_SHA256;
            case SHA512 -> SEED_SHA512;
        };
        long step = Totp.step(Instant.ofEpochSecond(seconds));
        assertThat(Totp.code(seed, step, algorithm, 8)).isEqualTo(expected);
    }

    @Test
    void appendixBHasAllEighteenVectors() {
        assertThat(rfc6238AppendixB()).hasSize(18);
    }

    @Test
    void sixDigitCodesAreTheLastSixOfTheEightAndKeepLeadingZeros() {
        // 07081804 at T=1111111109: six digits are 081804, with its leading zero.
        assertThat(Totp.code(SEED_SHA1, Instant.ofEpochSecond(1111111109L))).isEqualTo("081804");
        assertThat(Totp.code(SEED_SHA1, Instant.ofEpochSecond(59))).isEqualTo("287082");
    }

    @Test
    void stepsAreThirtySecondsFromTheEpoch() {
        assertThat(Totp.step(Instant.ofEpochSecond(0))).isZero();
        assertThat(Totp.step(Instant.ofEpochSecond(29))).isZero();
        assertThat(Totp.step(Instant.ofEpochSecond(30))).isEqualTo(1);
        assertThat(Totp.step(Instant.ofEpochSecond(59))).isEqualTo(1);
        assertThat(Totp.step(Instant.ofEpochSecond(1111111109L))).isEqualTo(0x023523EC);
    }

    @Test
    void matchAcceptsOneStepEitherSideAndNothingFurther() {
        Instant now = Instant.ofEpochSecond(1_700_000_015L);
        long current = Totp.step(now);
        for (long offset = -1; offset <= 1; offset++) {
            String code = Totp.code(SEED_SHA1, current + offset, Totp.Algorithm.SHA1, 6);
            assertThat(Totp.match(SEED_SHA1, code, now, 0)).hasValue(current + offset);
        }
        for (long offset : new long[] {-3, -2, 2, 3}) {
            String code = Totp.code(SEED_SHA1, current + offset, Totp.Algorithm.SHA1, 6);
            assertThat(Totp.match(SEED_SHA1, code, now, 0)).isEmpty();
        }
    }

    @Test
    void matchRefusesStepsAtOrBeforeTheLastUsedOne() {
        Instant now = Instant.ofEpochSecond(1_700_000_015L);
        long current = Totp.step(now);
        String code = Totp.code(SEED_SHA1, now);
        assertThat(Totp.match(SEED_SHA1, code, now, current - 1)).hasValue(current);
        assertThat(Totp.match(SEED_SHA1, code, now, current)).isEmpty();
        assertThat(Totp.match(SEED_SHA1, code, now, current + 1)).isEmpty();
    }

    @Test
    void matchRefusesCodesOfTheWrongShape() {
        Instant now = Instant.ofEpochSecond(1_700_000_015L);
        String code = Totp.code(SEED_SHA1, now);
        assertThat(Totp.match(SEED_SHA1, code.substring(1), now, 0)).isEmpty();
        assertThat(Totp.match(SEED_SHA1, code + "0", now, 0)).isEmpty();
        assertThat(Totp.match(SEED_SHA1, "", now, 0)).isEmpty();
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {"''|''", "f|MY", "fo|MZXQ", "foo|MZXW6", "foob|MZXW6YQ", "fooba|MZXW6YTB", "foobar|MZXW6YTBOI"})
    void base32MatchesRfc4648Section10(String plain, String encoded) {
        byte[] bytes = plain.getBytes(StandardCharsets.US_ASCII);
        assertThat(Base32.encode(bytes)).isEqualTo(encoded);
        assertThat(Base32.decode(encoded)).isEqualTo(bytes);
    }

    @Test
    void base32DecodingForgivesCasePaddingSpacesAndDashes() {
        assertThat(Base32.decode("mzxw 6ytb-oi======")).isEqualTo("foobar".getBytes(StandardCharsets.US_ASCII));
        assertThatThrownBy(() -> Base32.decode("MZXW1")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void twentyByteSecretsAreThirtyTwoCharacters() {
        assertThat(Base32.encode(SEED_SHA1)).isEqualTo("GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ");
    }
}
