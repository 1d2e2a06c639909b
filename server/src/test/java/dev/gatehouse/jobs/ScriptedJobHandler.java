package dev.gatehouse.jobs;

import dev.gatehouse.platform.RequestIds;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.MDC;
import org.springframework.stereotype.Component;

/**
 * A test job type, {@code test.scripted}: the payload {@code {"key": "...", "fail": n}} makes the first
 * {@code n} attempts fail, and {@code "fail": -1} fails permanently. Attempt times and the request id seen
 * are recorded per key, so tests can check backoff and context without sleeping.
 * Its retry policy is short (3 attempts, 200 ms doubling) so a dead letter takes under a second.
 */
@Component
public class ScriptedJobHandler implements JobHandler<ScriptedJobHandler.Script> {

    /** Stored as {@code {"key": "...", "fail": n}}. */
    record Script(String key, int fail) {}

    static final JobType<Script> TYPE = JobType.of("test.scripted", Script.class);
    static final RetryPolicy POLICY = new RetryPolicy(3, Duration.ofMillis(200), Duration.ofMillis(400));

    private final Map<String, List<Instant>> attempts = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> failuresLeft = new ConcurrentHashMap<>();
    private final Map<String, Script> dead = new ConcurrentHashMap<>();
    private final Map<String, String> requestIds = new ConcurrentHashMap<>();

    static Script payload(String key, int fail) {
        return new Script(key, fail);
    }

    @Override
    public JobType<Script> type() {
        return TYPE;
    }

    @Override
    public Optional<RetryPolicy> retryPolicy() {
        return Optional.of(POLICY);
    }

    @Override
    public void handle(Script script) {
        String key = script.key();
        attempts.computeIfAbsent(key, k -> new CopyOnWriteArrayList<>()).add(Instant.now());
        String requestId = MDC.get(RequestIds.MDC_KEY);
        if (requestId != null) requestIds.put(key, requestId);
        if (script.fail() < 0) throw new PermanentJobFailure("scripted permanent failure for " + key);
        AtomicInteger left = failuresLeft.computeIfAbsent(key, k -> new AtomicInteger(script.fail()));
        if (left.getAndDecrement() > 0) {
            throw new IllegalStateException("scripted failure for " + key);
        }
    }

    @Override
    public void onDead(Script script) {
        dead.put(script.key(), script);
    }

    List<Instant> attempts(String key) {
        return attempts.getOrDefault(key, List.of());
    }

    String requestIdSeen(String key) {
        return requestIds.get(key);
    }

    boolean deadLettered(String key) {
        return dead.containsKey(key);
    }

    /** Lets the next attempts of {@code key} succeed, as if the outside cause had been fixed. */
    void heal(String key) {
        failuresLeft.computeIfAbsent(key, k -> new AtomicInteger()).set(0);
    }
}
