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
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A test job type, {@code test.scripted}: the payload {@code {"key": "...", "fail": n}} makes the first
 * {@code n} attempts fail, and {@code "fail": -1} fails permanently. Attempt times and the request id seen
 * are recorded per key, so tests can check backoff and context without sleeping.
 * Its retry policy is short (3 attempts, 200 ms doubling) so a dead letter takes under a second.
 */
@Component
public class ScriptedJobHandler implements JobHandler {

    static final String TYPE = "test.scripted";
    static final RetryPolicy POLICY = new RetryPolicy(3, Duration.ofMillis(200), Duration.ofMillis(400));

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final Map<String, List<Instant>> attempts = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> failuresLeft = new ConcurrentHashMap<>();
    private final Map<String, String> dead = new ConcurrentHashMap<>();
    private final Map<String, String> requestIds = new ConcurrentHashMap<>();

    static String payload(String key, int fail) {
        return "{\"key\":\"" + key + "\",\"fail\":" + fail + "}";
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public Optional<RetryPolicy> retryPolicy() {
        return Optional.of(POLICY);
    }

    @Override
    public void handle(String payload) {
        JsonNode node = JSON.readTree(payload);
        String key = node.get("key").asString();
        attempts.computeIfAbsent(key, k -> new CopyOnWriteArrayList<>()).add(Instant.now());
        String requestId = MDC.get(RequestIds.MDC_KEY);
        if (requestId != null) requestIds.put(key, requestId);
        if (node.get("fail").asInt() < 0) throw new PermanentJobFailure("scripted permanent failure for " + key);
        AtomicInteger left = failuresLeft.computeIfAbsent(
                key, k -> new AtomicInteger(node.get("fail").asInt()));
        if (left.getAndDecrement() > 0) {
            throw new IllegalStateException("scripted failure for " + key);
        }
    }

    @Override
    public void onDead(String payload) {
        dead.put(JSON.readTree(payload).get("key").asString(), payload);
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
