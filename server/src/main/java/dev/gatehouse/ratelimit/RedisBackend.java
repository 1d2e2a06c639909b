package dev.gatehouse.ratelimit;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SetArgs;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;

/**
 * The shared backend: every node decides on Redis with one atomic Lua script per decision ({@code gcra.lua},
 * by {@code EVALSHA}), so nodes together never admit more than a policy allows. Keys are
 * {@code <prefix>{<subject>}:<policy>}: the subject is the hash tag, so all of a subject's cells live in one
 * Redis Cluster slot and clearing a subject is one multi-key {@code DEL}; cells expire when they are full again.
 *
 * <p>Failure is fast and visible rather than slow: commands are rejected at once while the connection is down
 * (instead of queueing until they time out), each has {@code redis-timeout}, and Lettuce reconnects every
 * {@code redis-reconnect-delay}. A node that started while Redis was away keeps trying to connect at the same
 * pace, from whichever decision comes first. The script is loaded again when Redis answers {@code NOSCRIPT}
 * (a restarted Redis has an empty script cache).
 */
final class RedisBackend implements LimiterBackend, AutoCloseable {

    static final String SCRIPT = script();

    private final ClientResources resources;
    private final RedisClient client;
    private final String prefix;
    private final String sha;
    private final long reconnectNanos;
    private final ReentrantLock connecting = new ReentrantLock();
    private volatile @Nullable StatefulRedisConnection<String, String> connection;
    private volatile long nextConnectAttempt;
    /** Whether the last command succeeded: with an open connection, whether Redis answers. */
    private volatile boolean lastOk;

    RedisBackend(String url, String prefix, Duration timeout, Duration reconnectDelay) {
        this.prefix = prefix;
        this.reconnectNanos = reconnectDelay.toNanos();
        this.resources = ClientResources.builder()
                .reconnectDelay(Delay.constant(reconnectDelay))
                .build();
        RedisURI uri = RedisURI.create(url);
        uri.setTimeout(timeout);
        this.client = RedisClient.create(resources, uri);
        client.setOptions(ClientOptions.builder()
                .autoReconnect(true)
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .timeoutOptions(TimeoutOptions.enabled(timeout))
                .socketOptions(SocketOptions.builder()
                        .connectTimeout(timeout.multipliedBy(4))
                        .keepAlive(true)
                        .build())
                .build());
        this.sha = io.lettuce.core.codec.Base16.digest(SCRIPT.getBytes(StandardCharsets.UTF_8));
        tryConnect();
    }

    private static String script() {
        try (InputStream in = RedisBackend.class.getResourceAsStream("/ratelimit/gcra.lua")) {
            if (in == null) throw new IllegalStateException("ratelimit/gcra.lua is missing from the classpath");
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public String name() {
        return "redis";
    }

    /** Connects unless connected; at most one attempt per reconnect delay, by one thread, the others go on. */
    private @Nullable StatefulRedisConnection<String, String> tryConnect() {
        StatefulRedisConnection<String, String> c = connection;
        if (c != null) return c;
        if (System.nanoTime() - nextConnectAttempt < 0 || !connecting.tryLock()) return null;
        try {
            if (connection != null) return connection;
            nextConnectAttempt = System.nanoTime() + reconnectNanos;
            c = client.connect();
            c.sync().scriptLoad(SCRIPT);
            connection = c;
            lastOk = true;
            return c;
        } catch (RedisException e) {
            lastOk = false;
            return null;
        } finally {
            connecting.unlock();
        }
    }

    private RedisCommands<String, String> commands() {
        StatefulRedisConnection<String, String> c = tryConnect();
        if (c == null) throw new Unavailable("Redis is not connected", null);
        return c.sync();
    }

    String key(String subject, Policy policy) {
        return prefix + "{" + subject + "}:" + policy.name();
    }

    @Override
    public RateLimitDecision decide(String subject, Policy policy, long cost, long now) {
        String[] keys = {key(subject, policy)};
        String nowArg = Long.toString(now);
        String interval = Long.toString(policy.intervalMicros());
        String tolerance = Long.toString(policy.toleranceMicros());
        String costArg = Long.toString(cost);
        try {
            RedisCommands<String, String> redis = commands();
            List<Long> answer;
            try {
                answer = redis.evalsha(sha, ScriptOutputType.MULTI, keys, nowArg, interval, tolerance, costArg);
            } catch (RedisNoScriptException e) {
                redis.scriptLoad(SCRIPT);
                answer = redis.evalsha(sha, ScriptOutputType.MULTI, keys, nowArg, interval, tolerance, costArg);
            }
            lastOk = true;
            long tat = answer.get(1);
            return answer.get(0) == 1L ? Gcra.allowed(policy, tat, now) : Gcra.denied(policy, tat, now, cost);
        } catch (RedisException e) {
            lastOk = false;
            throw new Unavailable("Redis did not decide: " + e.getMessage(), e);
        }
    }

    @Override
    public boolean firstBreach(String subject, Policy policy, long now, long intervalMicros) {
        try {
            String set = commands()
                    .set(key(subject, policy) + ":b", "1", SetArgs.Builder.nx().px(Math.max(1, intervalMicros / 1000)));
            lastOk = true;
            return "OK".equals(set);
        } catch (RedisException e) {
            lastOk = false;
            throw new Unavailable("Redis did not answer: " + e.getMessage(), e);
        }
    }

    @Override
    public long clear(String subject, Collection<Policy> policies) {
        if (policies.isEmpty()) return 0;
        List<String> cells = new ArrayList<>();
        List<String> samples = new ArrayList<>();
        for (Policy policy : policies) {
            cells.add(key(subject, policy));
            samples.add(key(subject, policy) + ":b");
        }
        try {
            RedisCommands<String, String> redis = commands();
            long cleared = redis.del(cells.toArray(String[]::new));
            redis.del(samples.toArray(String[]::new));
            lastOk = true;
            return cleared;
        } catch (RedisException e) {
            lastOk = false;
            throw new Unavailable("Redis did not answer: " + e.getMessage(), e);
        }
    }

    /** Whether Redis answers now: asks it (PING) unless the last command already said so. */
    boolean reachable() {
        StatefulRedisConnection<String, String> c = tryConnect();
        if (c == null || !c.isOpen()) return false;
        if (lastOk) return true;
        try {
            lastOk = "PONG".equals(c.sync().ping());
        } catch (RedisException e) {
            lastOk = false;
        }
        return lastOk;
    }

    @Override
    public void close() {
        StatefulRedisConnection<String, String> c = connection;
        if (c != null) c.close();
        client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        resources.shutdown(0, 2, java.util.concurrent.TimeUnit.SECONDS);
    }
}
