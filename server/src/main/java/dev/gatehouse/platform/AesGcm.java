package dev.gatehouse.platform;

import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Sealing of data at rest with AES-256-GCM. A sealed value is a fresh 12-byte nonce followed by the
 * ciphertext and its 128-bit tag; GCM authenticates it, so a value sealed under another key, or changed,
 * does not open. This format is stored (TOTP secrets, signing keys, refresh-token successors): keep it.
 */
public final class AesGcm {

    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;

    private AesGcm() {}

    /** Seals under a key of 32 bytes (AES-256). */
    public static byte[] seal(byte[] key, byte[] plaintext) {
        try {
            byte[] nonce = OpaqueTokens.randomBytes(NONCE_BYTES);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, aes(key), new GCMParameterSpec(TAG_BITS, nonce));
            byte[] ct = cipher.doFinal(plaintext);
            return ByteBuffer.allocate(NONCE_BYTES + ct.length)
                    .put(nonce)
                    .put(ct)
                    .array();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("sealing failed", e);
        }
    }

    /** Opens what {@link #seal} sealed under the same key; throws when the key is another or the data changed. */
    public static byte[] open(byte[] key, byte[] sealed) {
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, aes(key), new GCMParameterSpec(TAG_BITS, sealed, 0, NONCE_BYTES));
            return cipher.doFinal(sealed, NONCE_BYTES, sealed.length - NONCE_BYTES);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalStateException("sealed data cannot be opened with this key", e);
        }
    }

    private static SecretKeySpec aes(byte[] key) {
        // The length is the cipher's to judge: a 32-byte key is AES-256.
        return new SecretKeySpec(key, "AES");
    }
}
