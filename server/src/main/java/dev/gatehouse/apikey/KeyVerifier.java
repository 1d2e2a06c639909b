package dev.gatehouse.apikey;

import dev.gatehouse.apikey.ApiKey.Kind;
import dev.gatehouse.platform.Caller;
import dev.gatehouse.ratelimit.RateLimits;
import dev.gatehouse.subscription.SubscriptionDirectory;
import dev.gatehouse.subscription.SubscriptionState;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import org.springframework.stereotype.Component;

/**
 * The hot path: decides what a presented key is worth. Shape first (no hashing for garbage), then the cache
 * by the key's SHA-256, then the clock (expiry and rotation overlaps are judged on every hit, not cached), then the
 * organization's plan from the subscription module's own cache. The answers come ready-made from the cache; a valid
 * one gets the plan and the key's rate-limit decision, counted in the same call.
 */
@Component
class KeyVerifier {

    private final KeyCache cache;
    private final SubscriptionDirectory subscriptions;
    private final LastUsed lastUsed;
    private final Clock clock;
    private final RateLimits rateLimits;
    private final Counter valid;
    private final Counter malformed;
    private final Counter unknown;
    private final Counter revoked;
    private final Counter expired;
    private final Counter suspended;

    KeyVerifier(
            KeyCache cache,
            SubscriptionDirectory subscriptions,
            LastUsed lastUsed,
            Clock clock,
            MeterRegistry meters,
            RateLimits rateLimits) {
        this.cache = cache;
        this.subscriptions = subscriptions;
        this.rateLimits = rateLimits;
        this.lastUsed = lastUsed;
        this.clock = clock;
        this.valid = outcome(meters, "valid");
        this.malformed = outcome(meters, "malformed_key");
        this.unknown = outcome(meters, "unknown_key");
        this.revoked = outcome(meters, "revoked");
        this.expired = outcome(meters, "expired");
        this.suspended = outcome(meters, "suspended");
        meters.gauge("gatehouse.api_keys.cached", cache, KeyCache::size);
    }

    private static Counter outcome(MeterRegistry meters, String outcome) {
        return Counter.builder("gatehouse.api_keys.verifications")
                .description("Org API key verifications by outcome")
                .tag("outcome", outcome)
                .register(meters);
    }

    /** An org API key as {@code POST /api/v1/keys/verify} sees it. */
    Verification verifyOrgKey(String key) {
        if (!KeySecrets.ORG.wellFormed(key)) {
            malformed.increment();
            return Verification.MALFORMED;
        }
        CachedKey k = cache.find(KeySecrets.hash(key));
        if (k == null || k.kind() != Kind.ORG || k.valid() == null) {
            unknown.increment();
            return Verification.UNKNOWN;
        }
        Instant now = clock.instant();
        return switch (k.status(now)) {
            case ACTIVE -> {
                Verification answer = k.valid();
                UUID orgId = Objects.requireNonNull(answer.orgId());
                // An organization suspended for non-payment (billing's dunning) has its keys refused until it pays.
                if (subscriptions
                        .currentPlan(orgId)
                        .filter(p -> p.state() == SubscriptionState.SUSPENDED)
                        .isPresent()) {
                    suspended.increment();
                    yield Verification.SUSPENDED;
                }
                lastUsed.touch(k.keyId(), now);
                valid.increment();
                // The plan is not cached with the key: it changes on its own, through the subscription's cache.
                yield answer.withPlan(subscriptions.planOf(orgId).key())
                        .limited(rateLimits.forApiKey(k.keyId(), orgId));
            }
            case REVOKED -> {
                revoked.increment();
                yield Verification.REVOKED;
            }
            case EXPIRED -> {
                expired.increment();
                yield Verification.EXPIRED;
            }
            case RETIRED -> {
                unknown.increment();
                yield Verification.UNKNOWN;
            }
        };
    }

    /**
     * The caller an org API key authenticates as when sent as a bearer (the routes whose permission names
     * {@code org_key}), or empty when the key does not work (for any reason).
     */
    Optional<Caller> orgCaller(String key) {
        if (!KeySecrets.ORG.wellFormed(key)) return Optional.empty();
        CachedKey k = cache.find(KeySecrets.hash(key));
        if (k == null || k.kind() != Kind.ORG) return Optional.empty();
        Instant now = clock.instant();
        if (k.status(now) != CachedKey.Status.ACTIVE) return Optional.empty();
        lastUsed.touch(k.keyId(), now);
        return k.caller();
    }

    /** The caller a service key authenticates as, or empty when the key does not work (for any reason). */
    Optional<Caller> serviceCaller(String key) {
        if (!KeySecrets.SERVICE.wellFormed(key)) return Optional.empty();
        CachedKey k = cache.find(KeySecrets.hash(key));
        if (k == null || k.kind() != Kind.SERVICE) return Optional.empty();
        Instant now = clock.instant();
        if (k.status(now) != CachedKey.Status.ACTIVE) return Optional.empty();
        lastUsed.touch(k.keyId(), now);
        return k.caller();
    }
}
