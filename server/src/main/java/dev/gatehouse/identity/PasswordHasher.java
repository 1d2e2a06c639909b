package dev.gatehouse.identity;

import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.springframework.security.crypto.argon2.Argon2PasswordEncoder;
import org.springframework.stereotype.Component;

/**
 * Argon2id password hashing. {@link #needsRehash} tells when a stored hash was made with other
 * parameters, so sign-in can upgrade it transparently.
 *
 * <p>Hashes run on a small pool of platform threads, one per core; other callers wait their turn.
 * Argon2 is memory-hard and CPU-bound: each computation fills 7 MiB, and dozens at once (virtual
 * threads would allow thousands) thrash the CPU caches, so total throughput drops while memory use
 * climbs with the number of callers. On the virtual-thread carriers it would also hold a carrier for
 * the whole computation and stall unrelated requests. A bounded pool keeps throughput at what the
 * cores can do, keeps request handling responsive, and bounds the memory a flood of logins can claim.
 */
@Component
class PasswordHasher {

    private final Argon2PasswordEncoder encoder;
    private final ExecutorService lanes;

    /** Verified against when the email is unknown, so both paths cost one Argon2 computation. */
    private final String decoy;

    PasswordHasher(AuthSettings settings) {
        AuthSettings.Argon2 a = settings.argon2();
        this.encoder = new Argon2PasswordEncoder(16, 32, a.parallelism(), a.memoryKib(), a.iterations());
        int concurrent =
                a.maxConcurrent() > 0 ? a.maxConcurrent() : Runtime.getRuntime().availableProcessors();
        this.lanes = Executors.newFixedThreadPool(
                concurrent, Thread.ofPlatform().name("argon2-", 0).daemon(true).factory());
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

    private <T> T inLane(Callable<T> work) {
        try {
            return lanes.submit(work).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for a password hash", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("password hashing failed", e.getCause());
        }
    }
}
