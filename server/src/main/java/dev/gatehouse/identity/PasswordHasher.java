package dev.gatehouse.identity;

import dev.gatehouse.identity.argon2.Argon2id;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.stereotype.Component;

/**
 * Argon2id password hashing, stored as PHC strings ({@code $argon2id$v=19$m=7168,t=5,p=1$salt$hash}, the
 * format Spring Security's and libsodium's encoders write, so hashes move in and out). {@link #needsRehash}
 * tells when a stored hash was made with other parameters, so sign-in can upgrade it transparently.
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

    private static final Pattern PHC = Pattern.compile(
            "\\$argon2id\\$v=19\\$m=(\\d{1,8}),t=(\\d{1,4}),p=(\\d{1,3})\\$([A-Za-z0-9+/]{11,88})\\$([A-Za-z0-9+/]{6,88})");
    private static final int SALT_BYTES = 16;
    private static final int HASH_BYTES = 32;
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Base64.Encoder B64 = Base64.getEncoder().withoutPadding();
    private static final Base64.Decoder B64_DECODER = Base64.getDecoder();

    private final AuthSettings.Argon2 cost;
    private final ExecutorService lanes;

    /** Verified against when the email is unknown, so both paths cost one Argon2 computation. */
    private final String decoy;

    PasswordHasher(AuthSettings settings) {
        this.cost = settings.argon2();
        int concurrent = cost.maxConcurrent() > 0
                ? cost.maxConcurrent()
                : Runtime.getRuntime().availableProcessors();
        this.lanes = Executors.newFixedThreadPool(
                concurrent, Thread.ofPlatform().name("argon2-", 0).daemon(true).factory());
        this.decoy = hash("decoy password that never matches");
    }

    String hash(String password) {
        byte[] salt = new byte[SALT_BYTES];
        RANDOM.nextBytes(salt);
        byte[] hash = inLane(() -> Argon2id.hash(
                password.getBytes(StandardCharsets.UTF_8),
                salt,
                cost.memoryKib(),
                cost.iterations(),
                cost.parallelism(),
                HASH_BYTES));
        return "$argon2id$v=19$m=%d,t=%d,p=%d$%s$%s"
                .formatted(
                        cost.memoryKib(),
                        cost.iterations(),
                        cost.parallelism(),
                        B64.encodeToString(salt),
                        B64.encodeToString(hash));
    }

    boolean matches(String password, String stored) {
        Matcher phc = PHC.matcher(stored);
        if (!phc.matches()) return false;
        byte[] salt = B64_DECODER.decode(phc.group(4));
        byte[] expected = B64_DECODER.decode(phc.group(5));
        byte[] actual = inLane(() -> Argon2id.hash(
                password.getBytes(StandardCharsets.UTF_8),
                salt,
                Integer.parseInt(phc.group(1)),
                Integer.parseInt(phc.group(2)),
                Integer.parseInt(phc.group(3)),
                expected.length));
        return MessageDigest.isEqual(expected, actual);
    }

    /** True when the stored hash was made with other parameters than the configured ones. */
    boolean needsRehash(String stored) {
        Matcher phc = PHC.matcher(stored);
        return !phc.matches()
                || Integer.parseInt(phc.group(1)) != cost.memoryKib()
                || Integer.parseInt(phc.group(2)) != cost.iterations()
                || Integer.parseInt(phc.group(3)) != cost.parallelism()
                || B64_DECODER.decode(phc.group(5)).length != HASH_BYTES;
    }

    /** Spends the same work as a real check, for unknown accounts. */
    void burn(String password) {
        matches(password, decoy);
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
