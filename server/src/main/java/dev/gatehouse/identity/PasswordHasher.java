package dev.gatehouse.identity;

import java.util.concurrent.Semaphore;
import java.util.function.Supplier;
import org.springframework.security.crypto.argon2.Argon2PasswordEncoder;
import org.springframework.stereotype.Component;

/**
 * Argon2id password hashing. {@link #needsRehash} tells when a stored hash was made with other
 * parameters, so sign-in can upgrade it transparently.
 *
 * <p>At most one hash per core runs at a time; other callers wait their turn. Argon2 is memory-hard:
 * each computation fills 7 MiB, and dozens at once (virtual threads would allow thousands) thrash the
 * CPU caches, so total throughput drops while memory use climbs with the number of callers. Queuing
 * keeps throughput at what the cores can do and bounds the memory an attacker's flood can claim.
 */
@Component
class PasswordHasher {

    private final Argon2PasswordEncoder encoder;
    private final Semaphore lanes;

    /** Verified against when the email is unknown, so both paths cost one Argon2 computation. */
    private final String decoy;

    PasswordHasher(AuthSettings settings) {
        AuthSettings.Argon2 a = settings.argon2();
        this.encoder = new Argon2PasswordEncoder(16, 32, a.parallelism(), a.memoryKib(), a.iterations());
        int concurrent =
                a.maxConcurrent() > 0 ? a.maxConcurrent() : Runtime.getRuntime().availableProcessors();
        this.lanes = new Semaphore(concurrent, /* fair= */ true);
        this.decoy = encoder.encode("decoy password that never matches");
    }

    String hash(String password) {
        return inLane(() -> encoder.encode(password));
    }

    boolean matches(String password, String hash) {
        return inLane(() -> encoder.matches(password, hash));
    }

    boolean needsRehash(String hash) {
        return encoder.upgradeEncoding(hash);
    }

    /** Spends the same work as a real check, for unknown accounts. */
    void burn(String password) {
        inLane(() -> encoder.matches(password, decoy));
    }

    private <T> T inLane(Supplier<T> work) {
        lanes.acquireUninterruptibly();
        try {
            return work.get();
        } finally {
            lanes.release();
        }
    }
}
