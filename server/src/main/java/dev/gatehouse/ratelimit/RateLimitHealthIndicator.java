package dev.gatehouse.ratelimit;

import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.stereotype.Component;

/**
 * Health contributor {@code ratelimit}, part of readiness: {@code DEGRADED} while Redis is unreachable. Degraded
 * rather than down on purpose: every node shares the one Redis, so taking nodes out of the load balancer would
 * turn a limiter outage into a full one; policies answer by their failure mode meanwhile, and readiness (still
 * HTTP 200, {@code management.endpoint.health.status.http-mapping}) shows the state.
 */
@Component("ratelimit")
class RateLimitHealthIndicator extends AbstractHealthIndicator {

    static final Status DEGRADED = new Status("DEGRADED", "Redis is unreachable; policies answer by failure mode");

    private final LimiterBackend backend;

    RateLimitHealthIndicator(LimiterBackend backend) {
        super("Rate limiter health check failed");
        this.backend = backend;
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) {
        if (backend instanceof RedisBackend redis && !redis.reachable()) {
            builder.status(DEGRADED).withDetail("backend", "redis").withDetail("redis", "unreachable");
        } else {
            builder.up().withDetail("backend", backend.name());
        }
    }
}
