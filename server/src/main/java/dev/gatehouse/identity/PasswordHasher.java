package dev.gatehouse.identity;

import org.springframework.security.crypto.argon2.Argon2PasswordEncoder;
import org.springframework.stereotype.Component;

/**
 * Argon2id password hashing. {@link #needsRehash} tells when a stored hash was made with other
 * parameters, so sign-in can upgrade it transparently.
 */
@Component
class PasswordHasher {

    private final Argon2PasswordEncoder encoder;

    /** Verified against when the email is unknown, so both paths cost one Argon2 computation. */
    private final String decoy;

    PasswordHasher(AuthSettings settings) {
        AuthSettings.Argon2 a = settings.argon2();
        this.encoder = new Argon2PasswordEncoder(16, 32, a.parallelism(), a.memoryKib(), a.iterations());
        this.decoy = encoder.encode("decoy password that never matches");
    }

    String hash(String password) {
        return encoder.encode(password);
    }

    boolean matches(String password, String hash) {
        return encoder.matches(password, hash);
    }

    boolean needsRehash(String hash) {
        return encoder.upgradeEncoding(hash);
    }

    /** Spends the same work as a real check, for unknown accounts. */
    void burn(String password) {
        encoder.matches(password, decoy);
    }
}
