package dev.gatehouse.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The contract on the machine's Redis ({@code 127.0.0.1:6379}, which {@code .ci/run} starts when none listens),
 * under a key prefix of this run's own.
 */
class RedisBackendTest extends LimiterContract {

    static final String URL = "redis://127.0.0.1:6379";
    private static final String PREFIX = "gh:rl:test:" + UUID.randomUUID() + ":";

    private static RedisBackend backend;
    private static RedisClient client;
    private static StatefulRedisConnection<String, String> redis;

    @BeforeAll
    static void connect() {
        backend = new RedisBackend(URL, PREFIX, Duration.ofSeconds(2), Duration.ofMillis(500));
        assertThat(backend.reachable()).as("Redis at " + URL).isTrue();
        client = RedisClient.create(URL);
        redis = client.connect();
    }

    @AfterAll
    static void close() {
        var keys = redis.sync().keys(PREFIX + "*");
        if (!keys.isEmpty()) redis.sync().del(keys.toArray(String[]::new));
        redis.close();
        client.shutdown();
        backend.close();
    }

    @Override
    LimiterBackend backend() {
        return backend;
    }

    @Override
    boolean held(String subject, Policy policy, long now) {
        // Redis forgets by expiry on its own clock; the TTL it was given is the time until the TAT (from `now`).
        long ttl = redis.sync().pttl(backend.key(subject, policy));
        long untilTat = ttlAtDecision(subject, policy);
        return ttl > 0 && untilTat > now;
    }

    /** The stored TAT. */
    private long ttlAtDecision(String subject, Policy policy) {
        String tat = redis.sync().get(backend.key(subject, policy));
        return tat == null ? Long.MIN_VALUE : Long.parseLong(tat);
    }

    @Test
    void cellsAreKeyedBySubjectAsTheHashTagAndExpireWithTheirTat() {
        String ip = subject();
        backend.decide(ip, ANONYMOUS, 3, T0);
        String key = backend.key(ip, ANONYMOUS);
        assertThat(key).isEqualTo(PREFIX + "{" + ip + "}:anonymous");
        assertThat(redis.sync().get(key)).isEqualTo(Long.toString(T0 + 6 * S));
        long ttl = redis.sync().pttl(key);
        assertThat(ttl).isBetween(5_000L, 6_000L);
        // All of a subject's cells hash to one slot: clearing is one multi-key DEL, in a cluster too.
        assertThat(io.lettuce.core.cluster.SlotHash.getSlot(backend.key(ip, FREE)))
                .isEqualTo(io.lettuce.core.cluster.SlotHash.getSlot(key));
    }

    @Test
    void aRestartedRedisWithAnEmptyScriptCacheStillDecides() {
        redis.sync().scriptFlush();
        assertThat(backend.decide(subject(), ANONYMOUS, 1, T0).allowed()).isTrue();
    }
}
