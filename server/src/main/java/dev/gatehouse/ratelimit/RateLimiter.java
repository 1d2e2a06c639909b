package dev.gatehouse.ratelimit;

import dev.gatehouse.catalog.RateLimitScope;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Every decision goes through here: the backend decides, breaches are counted by policy and scope and sampled
 * into the audit log, and a backend that cannot be reached is answered by each policy's failure mode, counted,
 * and logged at most once per {@link #WARN_EVERY_NANOS} (an outage must not flood the log a line per request).
 */
@Component
class RateLimiter implements RateLimits {

    private static final Logger log = LoggerFactory.getLogger(RateLimiter.class);
    private static final long WARN_EVERY_NANOS = 10_000_000_000L;

    private final LimiterBackend backend;
    private final Policies policies;
    private final MicroTime time;
    private final MeterRegistry meters;
    private final BreachAudit audit;
    private final long breachIntervalMicros;
    private final ConcurrentHashMap<String, Counter> breaches = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Counter> failures = new ConcurrentHashMap<>();
    private final AtomicLong unlogged = new AtomicLong();
    private final AtomicLong nextWarning = new AtomicLong(System.nanoTime());

    RateLimiter(
            LimiterBackend backend,
            Policies policies,
            Clock clock,
            MeterRegistry meters,
            BreachAudit audit,
            RateLimitSettings settings) {
        this.backend = backend;
        this.policies = policies;
        this.time = new MicroTime(clock);
        this.meters = meters;
        this.audit = audit;
        this.breachIntervalMicros = settings.breachAuditInterval().toNanos() / 1_000;
        if (backend instanceof MemoryBackend memory) {
            Gauge.builder("gatehouse.ratelimit.subjects", memory, MemoryBackend::size)
                    .description("Subjects this node's in-memory limiter holds state for")
                    .register(meters);
        }
    }

    long now() {
        return time.now();
    }

    String backendName() {
        return backend.name();
    }

    @Override
    public @Nullable RateLimitDecision forApiKey(UUID keyId, UUID orgId) {
        Policies.PlanPolicy pp = policies.ofPlan(policies.planOf(orgId), RateLimitScope.API_KEY);
        if (pp == null) return null;
        String subject = pp.countedBy() == RateLimitScope.ORG ? Subjects.org(orgId) : Subjects.apiKey(keyId);
        return decide(subject, pp.policy(), 1);
    }

    /** Decides {@code cost} units for the subject under the policy, now. */
    RateLimitDecision decide(String subject, Policy policy, long cost) {
        long now = now();
        RateLimitDecision decision;
        try {
            decision = backend.decide(subject, policy, cost, now);
        } catch (LimiterBackend.Unavailable e) {
            unavailable(policy, e);
            return RateLimitDecision.unavailable(policy);
        }
        if (!decision.allowed()) breached(subject, policy, now);
        return decision;
    }

    private void breached(String subject, Policy policy, long now) {
        String scope = Subjects.scopeOf(subject);
        breaches.computeIfAbsent(
                        policy.name() + '\0' + scope,
                        k -> Counter.builder("gatehouse.ratelimit.breaches")
                                .description("Requests refused by a rate limit, by policy and scope")
                                .tag("policy", policy.name())
                                .tag("scope", scope)
                                .register(meters))
                .increment();
        try {
            if (backend.firstBreach(subject, policy, now, breachIntervalMicros)) {
                audit.record(subject, policy, scope);
            }
        } catch (LimiterBackend.Unavailable e) {
            unavailable(policy, e);
        } catch (RuntimeException e) {
            // The refusal stands whether or not its sample could be written.
            log.warn(
                    "Could not sample a rate-limit breach of {} under {} into the audit log",
                    subject,
                    policy.name(),
                    e);
        }
    }

    private void unavailable(Policy policy, LimiterBackend.Unavailable e) {
        String mode = policy.failureMode().name().toLowerCase(java.util.Locale.ROOT);
        failures.computeIfAbsent(
                        policy.name(),
                        p -> Counter.builder("gatehouse.ratelimit.backend.failures")
                                .description(
                                        "Decisions the backend could not make, answered by the policy's failure mode")
                                .tag("policy", policy.name())
                                .tag("failure_mode", mode)
                                .register(meters))
                .increment();
        long count = unlogged.incrementAndGet();
        long next = nextWarning.get();
        long nowNanos = System.nanoTime();
        if (nowNanos - next >= 0 && nextWarning.compareAndSet(next, nowNanos + WARN_EVERY_NANOS)) {
            unlogged.addAndGet(-count);
            log.warn(
                    "Rate limiter backend {} unavailable: {} decision(s) answered by their policies' failure modes"
                            + " since the last warning (this one: {}, fails {}); {}",
                    backend.name(),
                    count,
                    policy.name(),
                    mode,
                    e.getMessage());
        }
    }

    /** Forgets a subject under every policy; returns how many policies had state for it. */
    long clear(String subject) {
        try {
            return backend.clear(subject, policies.all());
        } catch (LimiterBackend.Unavailable e) {
            throw new RateLimitFailures.LimiterUnavailable(null);
        }
    }

    /** The in-memory backend forgets subjects whose allowance is full again. */
    @Scheduled(fixedDelayString = "${gatehouse.ratelimit.sweep-interval:1m}")
    void sweep() {
        if (backend instanceof MemoryBackend memory) memory.sweep(now(), breachIntervalMicros);
    }
}
