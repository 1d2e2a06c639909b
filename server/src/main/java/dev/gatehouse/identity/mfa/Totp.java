package dev.gatehouse.identity.mfa;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.OptionalLong;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Time-based one-time passwords, RFC 6238 on top of HOTP (RFC 4226).
 *
 * <p>The core is generic in the HMAC algorithm and the number of digits so that RFC 6238 Appendix B's
 * test vectors (SHA-1, SHA-256 and SHA-512, eight digits) can be checked exactly; Gatehouse itself
 * uses what every authenticator app supports: HMAC-SHA1, six digits, 30-second steps counted from
 * the Unix epoch ({@link #STEP_SECONDS}, T0 = 0).
 *
 * <p>{@link #match} accepts the step before and after the current one as well (RFC 6238 §5.2
 * recommends at most one step of network delay and clock drift), and only steps strictly after the
 * last one accepted for the user: a code works once (§5.2: "the verifier MUST NOT accept the second
 * attempt of the same OTP").
 */
public final class Totp {

    public static final int STEP_SECONDS = 30;
    static final int DIGITS = 6;
    static final Algorithm ALGORITHM = Algorithm.SHA1;

    /** How many steps either side of the current one a code may be from. */
    static final int WINDOW = 1;

    public enum Algorithm {
        SHA1("HmacSHA1"),
        SHA256("HmacSHA256"),
        SHA512("HmacSHA512");

        final String mac;

        Algorithm(String mac) {
            this.mac = mac;
        }
    }

    private static final int[] POWERS_OF_TEN = {
        1, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000, 100_000_000, 1_000_000_000
    };

    private Totp() {}

    /** The time step an instant falls in: whole 30-second periods since the epoch. */
    public static long step(Instant at) {
        return Math.floorDiv(at.getEpochSecond(), STEP_SECONDS);
    }

    /** The code of one time step (HOTP with the step as the counter, RFC 6238 §4.2), zero-padded. */
    public static String code(byte[] key, long step, Algorithm algorithm, int digits) {
        if (digits < 1 || digits >= POWERS_OF_TEN.length) throw new IllegalArgumentException("digits: " + digits);
        byte[] hash;
        try {
            Mac mac = Mac.getInstance(algorithm.mac);
            mac.init(new SecretKeySpec(key, "RAW"));
            hash = mac.doFinal(ByteBuffer.allocate(Long.BYTES).putLong(step).array());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
        // Dynamic truncation (RFC 4226 §5.3): the low nibble of the last byte picks four bytes.
        int offset = hash[hash.length - 1] & 0x0f;
        int binary = ((hash[offset] & 0x7f) << 24)
                | ((hash[offset + 1] & 0xff) << 16)
                | ((hash[offset + 2] & 0xff) << 8)
                | (hash[offset + 3] & 0xff);
        String otp = Integer.toString(binary % POWERS_OF_TEN[digits]);
        return "0".repeat(digits - otp.length()) + otp;
    }

    /** Gatehouse's code (SHA-1, six digits) for the step {@code at} falls in. */
    public static String code(byte[] key, Instant at) {
        return code(key, step(at), ALGORITHM, DIGITS);
    }

    /**
     * The step whose code {@code code} is, among the current step ± {@link #WINDOW} and only those after
     * {@code lastUsedStep}; empty when none matches. Every candidate is computed and compared in
     * constant time, so the answer's timing does not tell which step (if any) matched.
     */
    public static OptionalLong match(byte[] key, String code, Instant now, long lastUsedStep) {
        if (code.length() != DIGITS) return OptionalLong.empty();
        byte[] presented = code.getBytes(StandardCharsets.US_ASCII);
        long current = step(now);
        long found = Long.MIN_VALUE;
        for (long step = current - WINDOW; step <= current + WINDOW; step++) {
            byte[] expected = code(key, step, ALGORITHM, DIGITS).getBytes(StandardCharsets.US_ASCII);
            if (MessageDigest.isEqual(expected, presented) && step > lastUsedStep && found == Long.MIN_VALUE) {
                found = step;
            }
        }
        return found == Long.MIN_VALUE ? OptionalLong.empty() : OptionalLong.of(found);
    }
}
