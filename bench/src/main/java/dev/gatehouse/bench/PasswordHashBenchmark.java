package dev.gatehouse.bench;

import dev.gatehouse.identity.argon2.Argon2id;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.springframework.security.crypto.argon2.Argon2PasswordEncoder;

/**
 * Raw Argon2id throughput with the server's parameters (m=7 MiB, t=5, p=1, 16-byte salt, 32-byte hash),
 * on as many threads as the bench machine has cores (2).
 *
 * <p>{@link #verify} is what a password login costs: one {@code Argon2id.hash} of the server's own
 * implementation (compiled in from {@code server/src/main/java/dev/gatehouse/identity/argon2}) and a
 * constant-time compare. It is the ceiling the HTTP login benchmark is compared with. {@link #hash} is what
 * registration and password changes cost. {@link #bouncyCastleVerify} is Spring Security's encoder
 * (BouncyCastle), which the server used before: the reference the own implementation has to beat.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Threads(2)
@Fork(
        value = 1,
        jvmArgsAppend = {"-Xms256m", "-Xmx256m"})
@Warmup(iterations = 3, time = 5)
@Measurement(iterations = 5, time = 5)
public class PasswordHashBenchmark {

    /** Argon2 memory in KiB; the server's default is 7168 (OWASP's m=7 MiB, t=5, p=1). */
    @Param("7168")
    int memoryKib;

    @Param("5")
    int iterations;

    @Param("1")
    int parallelism;

    private static final byte[] PASSWORD = "Quiet granite owls 42 dance".getBytes(StandardCharsets.UTF_8);

    private byte[] salt;
    private byte[] stored;
    private Argon2PasswordEncoder bouncyCastle;
    private String bouncyCastleStored;

    @Setup
    public void setUp() {
        salt = new byte[16];
        new SecureRandom().nextBytes(salt);
        stored = Argon2id.hash(PASSWORD, salt, memoryKib, iterations, parallelism, 32);
        bouncyCastle = new Argon2PasswordEncoder(16, 32, parallelism, memoryKib, iterations);
        bouncyCastleStored = bouncyCastle.encode(new String(PASSWORD, StandardCharsets.UTF_8));
        if (!verify() || !bouncyCastleVerify()) throw new IllegalStateException("Argon2 round trip failed");
    }

    /** One password check against a stored hash: the work of one login. */
    @Benchmark
    public boolean verify() {
        return MessageDigest.isEqual(stored, Argon2id.hash(PASSWORD, salt, memoryKib, iterations, parallelism, 32));
    }

    /** One new hash with a fresh salt: the work of one registration or password change. */
    @Benchmark
    public byte[] hash() {
        byte[] fresh = new byte[16];
        new SecureRandom().nextBytes(fresh);
        return Argon2id.hash(PASSWORD, fresh, memoryKib, iterations, parallelism, 32);
    }

    /** The same check with Spring Security's Argon2 encoder (BouncyCastle), for comparison. */
    @Benchmark
    public boolean bouncyCastleVerify() {
        return bouncyCastle.matches(new String(PASSWORD, StandardCharsets.UTF_8), bouncyCastleStored);
    }
}
