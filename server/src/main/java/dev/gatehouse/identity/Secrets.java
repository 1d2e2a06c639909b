package dev.gatehouse.identity;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Random tokens, their hashes, and sealing (AES-256-GCM) of data at rest under the master key. The
 * master key comes from {@code GATEHOUSE_MASTER_KEY} (base64, 32 bytes); without it a key file is
 * generated next to the embedded database, which suits a single node only.
 */
@Component
class Secrets {

    private static final Logger log = LoggerFactory.getLogger(Secrets.class);
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Base64.Encoder B64URL = Base64.getUrlEncoder().withoutPadding();
    private static final int NONCE_BYTES = 12;

    private final SecretKeySpec masterKey;

    Secrets(
            @Value("${gatehouse.master-key:}") String masterKey,
            @Value("${gatehouse.master-key-file:./data/master.key}") String masterKeyFile)
            throws IOException {
        this.masterKey = new SecretKeySpec(loadOrCreate(masterKey, Path.of(masterKeyFile)), "AES");
    }

    /** A fresh opaque token: the prefix plus 256 random bits, base64url. */
    static String newToken(String prefix) {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return prefix + B64URL.encodeToString(bytes);
    }

    static byte[] randomBytes(int count) {
        byte[] bytes = new byte[count];
        RANDOM.nextBytes(bytes);
        return bytes;
    }

    /** Tokens carry 256 bits of entropy, so a plain SHA-256 is a safe at-rest form (no salt or stretching needed). */
    static byte[] hash(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    byte[] seal(byte[] plaintext) {
        return seal(masterKey, plaintext);
    }

    byte[] open(byte[] sealed) {
        return open(masterKey, sealed);
    }

    /** Seals with a key derived from a high-entropy token: only a holder of that token can open it. */
    static byte[] sealFor(String token, byte[] plaintext) {
        return seal(derive(token), plaintext);
    }

    static byte[] openFor(String token, byte[] sealed) {
        return open(derive(token), sealed);
    }

    private static SecretKeySpec derive(String token) {
        return new SecretKeySpec(hash("gatehouse/successor-seal/" + token), "AES");
    }

    private static byte[] seal(SecretKeySpec key, byte[] plaintext) {
        try {
            byte[] nonce = new byte[NONCE_BYTES];
            RANDOM.nextBytes(nonce);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(128, nonce));
            byte[] ct = cipher.doFinal(plaintext);
            return ByteBuffer.allocate(NONCE_BYTES + ct.length)
                    .put(nonce)
                    .put(ct)
                    .array();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("sealing failed", e);
        }
    }

    private static byte[] open(SecretKeySpec key, byte[] sealed) {
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(128, sealed, 0, NONCE_BYTES));
            return cipher.doFinal(sealed, NONCE_BYTES, sealed.length - NONCE_BYTES);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("sealed data cannot be opened with this key", e);
        }
    }

    private static byte[] loadOrCreate(@Nullable String configured, Path file) throws IOException {
        if (configured != null && !configured.isBlank()) {
            byte[] key = Base64.getDecoder().decode(configured.trim());
            if (key.length != 32) {
                throw new IllegalStateException("gatehouse.master-key must be 32 bytes, base64-encoded");
            }
            return key;
        }
        if (Files.exists(file)) {
            return Base64.getDecoder().decode(Files.readString(file).trim());
        }
        byte[] key = new byte[32];
        RANDOM.nextBytes(key);
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) Files.createDirectories(parent);
        try {
            // Created owner-only from the start: no moment where another user could read it.
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException e) {
            Files.createFile(file);
            log.warn("master_key_file_permissions_unsupported file={}", file);
        }
        Files.writeString(file, Base64.getEncoder().encodeToString(key));
        log.warn("master_key_generated file={} (set GATEHOUSE_MASTER_KEY for production and for several nodes)", file);
        return key;
    }
}
