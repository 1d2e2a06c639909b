package dev.gatehouse.platform;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Seals data at rest ({@link AesGcm}) under the master key, for secrets the server must read back (TOTP
 * secrets, JWT signing keys, later webhook signing secrets and provider keys). The key comes from
 * {@code gatehouse.master-key} ({@code GATEHOUSE_MASTER_KEY}, base64, 32 bytes); without it a key file
 * ({@code gatehouse.master-key-file}) is read, or generated owner-only on first start, which suits a
 * single node only: every node must open what another sealed.
 */
@Component
public class MasterKey {

    private static final Logger log = LoggerFactory.getLogger(MasterKey.class);

    private final byte[] key;

    MasterKey(
            @Value("${gatehouse.master-key:}") String configured,
            @Value("${gatehouse.master-key-file:./data/master.key}") String file)
            throws IOException {
        this.key = loadOrCreate(configured, Path.of(file));
    }

    public byte[] seal(byte[] plaintext) {
        return AesGcm.seal(key, plaintext);
    }

    public byte[] open(byte[] sealed) {
        return AesGcm.open(key, sealed);
    }

    private static byte[] loadOrCreate(String configured, Path file) throws IOException {
        if (!configured.isBlank()) {
            byte[] key = Base64.getDecoder().decode(configured.trim());
            if (key.length != 32) {
                throw new IllegalStateException("gatehouse.master-key must be 32 bytes, base64-encoded");
            }
            return key;
        }
        if (Files.exists(file)) {
            return Base64.getDecoder().decode(Files.readString(file).trim());
        }
        byte[] key = OpaqueTokens.randomBytes(32);
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
