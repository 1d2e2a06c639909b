package dev.gatehouse.ratelimit;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Picks the backend: Redis when {@code gatehouse.ratelimit.redis-url} is set, else this node's memory. The Redis
 * backend is {@link AutoCloseable}, so Spring closes its connection when the context stops.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(RateLimitSettings.class)
class RateLimitConfiguration {

    /** Keys are namespaced so the limiter can share a Redis with other users of it. */
    static final String KEY_PREFIX = "gh:rl:";

    @Bean
    LimiterBackend limiterBackend(RateLimitSettings settings) {
        String url = settings.redisUrl();
        return url == null || url.isBlank()
                ? new MemoryBackend()
                : new RedisBackend(url, KEY_PREFIX, settings.redisTimeout(), settings.redisReconnectDelay());
    }
}
