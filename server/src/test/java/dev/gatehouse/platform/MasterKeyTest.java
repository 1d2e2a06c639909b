package dev.gatehouse.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Sealing under the master key, and where the key comes from, on plain objects and a temporary folder. */
class MasterKeyTest {

    @TempDir
    Path dir;

    @Test
    void dataSealedInTheStoredFormatOpens() throws Exception {
        byte[] key = OpaqueTokens.randomBytes(32);
        byte[] nonce = OpaqueTokens.randomBytes(12);
        // The stored format, built by hand: a 12-byte nonce, then AES-256-GCM ciphertext and 128-bit tag.
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(128, nonce));
        byte[] ct = cipher.doFinal("totp secret".getBytes(StandardCharsets.UTF_8));
        byte[] stored = ByteBuffer.allocate(12 + ct.length).put(nonce).put(ct).array();

        MasterKey master = new MasterKey(
                Base64.getEncoder().encodeToString(key),
                dir.resolve("unused.key").toString());

        assertThat(new String(master.open(stored), StandardCharsets.UTF_8)).isEqualTo("totp secret");
        assertThat(master.open(master.seal(new byte[] {1, 2, 3}))).containsExactly(1, 2, 3);
        assertThat(Files.exists(dir.resolve("unused.key")))
                .as("a configured key writes no file")
                .isFalse();
    }

    @Test
    void sealedDataOpensOnlyUnchangedAndUnderItsOwnKey() throws Exception {
        MasterKey one = new MasterKey("", dir.resolve("one.key").toString());
        MasterKey two = new MasterKey("", dir.resolve("two.key").toString());
        byte[] sealed = one.seal("signing key".getBytes(StandardCharsets.UTF_8));

        assertThat(sealed).hasSize(12 + "signing key".length() + 16);
        assertThat(one.seal("signing key".getBytes(StandardCharsets.UTF_8)))
                .as("a fresh nonce each time")
                .isNotEqualTo(sealed);
        assertThatThrownBy(() -> two.open(sealed)).isInstanceOf(IllegalStateException.class);
        sealed[sealed.length - 1] ^= 1;
        assertThatThrownBy(() -> one.open(sealed)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void withoutAConfiguredKeyAnOwnerOnlyFileIsGeneratedAndReusedOnTheNextStart() throws Exception {
        Path file = dir.resolve("data/master.key");
        byte[] sealed = new MasterKey(" ", file.toString()).seal(new byte[] {42});

        assertThat(Files.getPosixFilePermissions(file)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        assertThat(Base64.getDecoder().decode(Files.readString(file).trim())).hasSize(32);
        assertThat(new MasterKey("", file.toString()).open(sealed)).containsExactly(42);
    }

    @Test
    void aConfiguredKeyMustBe32Bytes() {
        String short16 = Base64.getEncoder().encodeToString(new byte[16]);
        assertThatThrownBy(() -> new MasterKey(short16, dir.resolve("x.key").toString()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("32 bytes");
    }
}
