package dev.gatehouse.identity.mfa;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Our TOTP against an independent implementation: Debian's {@code oathtool} (OATH Toolkit). CI
 * installs it ({@code .ci/run}); without it this test fails rather than skips, so a missing tool can
 * never pass silently.
 */
class OathtoolCrossCheckTest {

    private static final SecureRandom RANDOM = new SecureRandom();

    @Test
    void ourCodesAreOathtoolsForRandomSecretsAndTimes() throws Exception {
        long[] times = {
            0L,
            59L,
            1_111_111_109L,
            1_234_567_890L,
            1_700_000_000L,
            2_000_000_000L,
            Instant.now().getEpochSecond()
        };
        for (int i = 0; i < 5; i++) {
            byte[] secret = new byte[20];
            RANDOM.nextBytes(secret);
            String base32 = Base32.encode(secret);
            for (long time : times) {
                String ours = Totp.code(secret, Instant.ofEpochSecond(time));
                assertThat(oathtool(base32, time))
                        .as("secret %s at %d", base32, time)
                        .isEqualTo(ours);
            }
        }
    }

    @Test
    void ourSecretsRoundTripThroughOathtoolsBase32() throws Exception {
        // The secret as we hand it to users (unpadded, 32 characters for 20 bytes) is what apps read.
        byte[] secret = "12345678901234567890".getBytes(StandardCharsets.US_ASCII);
        assertThat(oathtool(Base32.encode(secret), 59)).isEqualTo("287082");
    }

    private static String oathtool(String base32Secret, long epochSeconds) throws IOException, InterruptedException {
        Process process = new ProcessBuilder("oathtool", "--totp", "-b", base32Secret, "--now", "@" + epochSeconds)
                .redirectErrorStream(true)
                .start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertThat(process.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(out).isZero();
        return out;
    }
}
