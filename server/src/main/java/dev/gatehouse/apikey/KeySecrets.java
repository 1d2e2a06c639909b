package dev.gatehouse.apikey;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * Key secrets: a kind prefix plus 256 random bits in base64url ({@code gh_pk_} for organizations' API keys,
 * {@code gh_sk_} for service keys), 49 characters in all. Only their SHA-256 is stored: with 256 bits of
 * entropy a plain hash is a safe at-rest form, needs no salt, and can be looked up by equality.
 */
final class KeySecrets {

    static final String ORG_PREFIX = "gh_pk_";
    static final String SERVICE_PREFIX = "gh_sk_";

    /** Prefix plus 43 base64url characters (32 bytes without padding). */
    static final int LENGTH = 6 + 43;

    /** How many leading characters are stored and shown, to tell keys apart: the kind prefix plus 6. */
    static final int VISIBLE = 12;

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

    private KeySecrets() {}

    static String generate(String prefix) {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return prefix + B64URL.encodeToString(bytes);
    }

    /** Whether the string has the exact shape of a key of this kind; says nothing about whether it exists. */
    static boolean wellFormed(String key, String prefix) {
        if (key.length() != LENGTH || !key.startsWith(prefix)) return false;
        for (int i = prefix.length(); i < LENGTH; i++) {
            char c = key.charAt(i);
            boolean ok =
                    (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
            if (!ok) return false;
        }
        return true;
    }

    static KeyHash hash(String key) {
        MessageDigest sha256;
        try {
            // A clone of a prototype is cheaper than a provider lookup, and virtual threads make
            // thread-local digests pointless (a new thread per request).
            sha256 = (MessageDigest) SHA256.clone();
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException(e);
        }
        // Well-formed keys are ASCII; other strings are hashed as UTF-8 so nothing collides.
        return KeyHash.of(sha256.digest(key.getBytes(StandardCharsets.UTF_8)));
    }

    static String visiblePrefix(String key) {
        return key.substring(0, VISIBLE);
    }
}
