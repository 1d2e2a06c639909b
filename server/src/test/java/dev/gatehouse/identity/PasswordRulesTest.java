package dev.gatehouse.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatehouse.platform.ApiException;
import dev.gatehouse.platform.OpaqueTokens;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.security.crypto.argon2.Argon2PasswordEncoder;

/** Plain-object tests of hashing, the password policy, email normalization and sealing. */
class PasswordRulesTest {

    private static AuthSettings settings(int memoryKib, int iterations) {
        return new Binder(new MapConfigurationPropertySource(Map.of(
                        "gatehouse.auth.argon2.memory-kib", String.valueOf(memoryKib),
                        "gatehouse.auth.argon2.iterations", String.valueOf(iterations))))
                .bindOrCreate("gatehouse.auth", AuthSettings.class);
    }

    @Test
    void hashesAreArgon2idWithTheConfiguredCost() {
        PasswordHasher hasher = new PasswordHasher(settings(7168, 5));
        String hash = hasher.hash("Seven quiet otters juggle lanterns");
        assertThat(hash).startsWith("$argon2id$v=19$m=7168,t=5,p=1$");
        assertThat(hasher.matches("Seven quiet otters juggle lanterns", hash)).isTrue();
        assertThat(hasher.matches("seven quiet otters juggle lanterns", hash)).isFalse();
        assertThat(hasher.needsRehash(hash)).isFalse();
    }

    @Test
    void hashesMadeWithWeakerParametersNeedARehash() {
        String old = new Argon2PasswordEncoder(16, 32, 1, 4096, 3).encode("Seven quiet otters juggle lanterns");
        PasswordHasher hasher = new PasswordHasher(settings(7168, 5));
        assertThat(hasher.matches("Seven quiet otters juggle lanterns", old)).isTrue();
        assertThat(hasher.needsRehash(old)).isTrue();
    }

    @Test
    void policyRejectsShortBreachedAndGuessablePasswords() {
        PasswordPolicy policy = new PasswordPolicy();
        assertThatThrownBy(() -> policy.check("short1!", "a@example.com", "A"))
                .isInstanceOfSatisfying(
                        ApiException.class, e -> assertThat(e.code()).isEqualTo("password_too_short"));
        assertThatThrownBy(() -> policy.check("1qaz2wsx3edc", "a@example.com", "A"))
                .isInstanceOfSatisfying(
                        ApiException.class, e -> assertThat(e.code()).isEqualTo("password_breached"));
        assertThatThrownBy(() -> policy.check("margaret1990", "margaret@example.com", "Margaret"))
                .isInstanceOfSatisfying(
                        ApiException.class, e -> assertThat(e.code()).isIn("password_too_weak", "password_breached"));
        assertThatThrownBy(() -> policy.check("x".repeat(257), "a@example.com", "A"))
                .isInstanceOfSatisfying(
                        ApiException.class, e -> assertThat(e.code()).isEqualTo("password_too_long"));
        policy.check("Seven quiet otters juggle lanterns", "a@example.com", "A");
    }

    @Test
    void emailsAreNormalizedAndDisposableDomainsRecognized() {
        assertThat(EmailAddress.of("  Alice@Example.COM ").value()).isEqualTo("alice@example.com");
        assertThatThrownBy(() -> EmailAddress.of("alice@localhost")).isInstanceOf(ApiException.class);
        assertThatThrownBy(() -> EmailAddress.of("a b@example.com")).isInstanceOf(ApiException.class);
        DisposableDomains disposable = new DisposableDomains(settings(7168, 5));
        assertThat(disposable.contains(EmailAddress.of("x@mailinator.com"))).isTrue();
        assertThat(disposable.contains(EmailAddress.of("x@eu.mailinator.com"))).isTrue();
        assertThat(disposable.contains(EmailAddress.of("x@example.com"))).isFalse();
    }

    @Test
    void sealedSuccessorsOpenOnlyWithTheRotatedToken() {
        OpaqueTokens refreshTokens = OpaqueTokens.prefixed("ghr_");
        String token = refreshTokens.generate();
        byte[] sealed = SignIn.sealForHolder(token, "successor".getBytes());
        assertThat(new String(SignIn.openForHolder(token, sealed))).isEqualTo("successor");
        assertThatThrownBy(() -> SignIn.openForHolder(refreshTokens.generate(), sealed))
                .isInstanceOf(IllegalStateException.class);
        assertThat(OpaqueTokens.sha256(token)).hasSize(32).isEqualTo(OpaqueTokens.sha256(token));
    }
}
