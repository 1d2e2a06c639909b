package dev.gatehouse.bench;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.springframework.security.crypto.argon2.Argon2PasswordEncoder;

/**
 * Raw Argon2id throughput with exactly the server's encoder ({@code new Argon2PasswordEncoder(16, 32, 1, 7168, 5)},
 * see {@code dev.gatehouse.identity.PasswordHasher}), on as many threads as the bench machine has cores (2).
 *
 * <p>{@link #verify} is what a password login costs (one {@code matches}); it is the ceiling the HTTP login
 * benchmark is compared with. {@link #hash} is what registration and password changes cost.
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

    private static final String PASSWORD = "Quiet granite owls 42 dance";

    private Argon2PasswordEncoder encoder;
    private String stored;
    private ExecutorService virtualThreads;

    @Setup
    public void setUp() {
        encoder = new Argon2PasswordEncoder(16, 32, parallelism, memoryKib, iterations);
        stored = encoder.encode(PASSWORD);
        if (!encoder.matches(PASSWORD, stored)) throw new IllegalStateException("Argon2 round trip failed");
        virtualThreads = Executors.newVirtualThreadPerTaskExecutor();
    }

    @TearDown
    public void tearDown() {
        virtualThreads.close();
    }

    /** One password check against a stored hash: the work of one login. */
    @Benchmark
    public boolean verify() {
        return encoder.matches(PASSWORD, stored);
    }

    /**
     * {@link #verify} run on a virtual thread, as the server runs a login request (Tomcat on virtual threads);
     * the JMH thread only waits. Tells whether the carrier-thread scheduling itself costs anything.
     */
    @Benchmark
    public boolean verifyOnVirtualThread() throws InterruptedException, ExecutionException {
        return virtualThreads.submit(() -> encoder.matches(PASSWORD, stored)).get();
    }

    /** One new hash with a fresh salt: the work of one registration or password change. */
    @Benchmark
    public String hash() {
        return encoder.encode(PASSWORD);
    }
}
