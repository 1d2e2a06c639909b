package dev.gatehouse.platform;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * One kind of opaque bearer token: a visible prefix that tells kinds apart (and lets secret scanners find
 * leaked ones) plus 256 random bits in base64url, 43 characters. Only the SHA-256 of a token is stored:
 * with 256 bits of entropy a plain hash is a safe at-rest form (no salt or stretching needed), and it can
 * be looked up by equality in an index.
 */
public final class OpaqueTokens {

    /** 32 random bytes in base64url without padding. */
    public static final int RANDOM_CHARS = 43;

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Base64.Encoder B64URL = Base64.getUrlEncoder().withoutPadding();
    private static final MessageDigest SHA256;

    static {
        try {
            SHA256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final String prefix;

    private OpaqueTokens(String prefix) {
        this.prefix = prefix;
    }

    /** Tokens that start with {@code prefix}; the empty prefix is allowed (links in emails carry none). */
    public static OpaqueTokens prefixed(String prefix) {
        for (int i = 0; i < prefix.length(); i++) {
            if (!base64Url(prefix.charAt(i))) {
                throw new IllegalArgumentException("A token prefix must be URL-safe: '" + prefix + "'");
            }
        }
        return new OpaqueTokens(prefix);
    }

    public String prefix() {
        return prefix;
    }

    /** The length of every token of this kind. */
    public int length() {
        return prefix.length() + RANDOM_CHARS;
    }

    /** A fresh token: the prefix plus 256 random bits. */
    public String generate() {
        return prefix + B64URL.encodeToString(randomBytes(32));
    }

    /**
     * Whether the string has the exact shape of a token of this kind; says nothing about whether it exists.
     * Checked before any lookup, so that garbage costs neither a hash nor a query.
     */
    public boolean wellFormed(String token) {
        if (token.length() != length() || !token.startsWith(prefix)) return false;
        for (int i = prefix.length(); i < token.length(); i++) {
            if (!base64Url(token.charAt(i))) return false;
        }
        return true;
    }

    /** The at-rest form of a token (or of any string: well-formed tokens are ASCII, others hash as UTF-8). */
    public static byte[] sha256(String value) {
        MessageDigest sha256;
        try {
            // A clone of a prototype is cheaper than a provider lookup (this runs on the API key hot path),
            // and virtual threads make thread-local digests pointless (a new thread per request).
            sha256 = (MessageDigest) SHA256.clone();
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException(e);
        }
        return sha256.digest(value.getBytes(StandardCharsets.UTF_8));
    }

    /** Whether {@code value} hashes to {@code storedSha256}, compared in constant time. */
    public static boolean matchesHash(String value, byte[] storedSha256) {
        return MessageDigest.isEqual(sha256(value), storedSha256);
    }

    /** Bytes from the shared {@link SecureRandom}, for secrets that are not tokens (TOTP keys, codes). */
    public static byte[] randomBytes(int count) {
        byte[] bytes = new byte[count];
        RANDOM.nextBytes(bytes);
        return bytes;
    }

    private static boolean base64Url(char c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
    }
}
