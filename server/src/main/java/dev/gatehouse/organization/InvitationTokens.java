package dev.gatehouse.organization;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.regex.Pattern;

/**
 * Invitation tokens: {@code ghi_} plus 256 random bits, base64url. Only their SHA-256 is stored; with 256
 * bits of entropy a plain hash is a safe at-rest form (no salt or stretching needed), and it lets the token
 * be found by an index lookup.
 */
final class InvitationTokens {

    static final String PREFIX = "ghi_";
    private static final Pattern SHAPE = Pattern.compile("ghi_[A-Za-z0-9_-]{43}");
    private static final SecureRandom RANDOM = new SecureRandom();

    private InvitationTokens() {}

    static String generate() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** Whether the string could be a token at all; anything else is not looked up. */
    static boolean wellFormed(String token) {
        return SHAPE.matcher(token).matches();
    }

    static byte[] hash(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
