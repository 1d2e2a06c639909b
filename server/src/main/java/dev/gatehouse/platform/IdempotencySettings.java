package dev.gatehouse.platform;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Idempotency-Key handling ({@code gatehouse.idempotency.*}).
 *
 * @param ttl how long a stored outcome is replayed (Stripe keeps keys 24 hours)
 * @param inProgressTimeout after this long a claim that never completed (its node died mid-request) may
 *     be taken over by a retry; longer than any request may legitimately run, streaming included
 * @param purgeInterval how often expired rows are deleted
 * @param maxStoredResponse largest response body kept for replay; a bigger outcome is not stored
 */
@ConfigurationProperties("gatehouse.idempotency")
record IdempotencySettings(
        @DefaultValue("24h") Duration ttl,
        @DefaultValue("10m") Duration inProgressTimeout,
        @DefaultValue("15m") Duration purgeInterval,
        @DefaultValue("1MB") DataSize maxStoredResponse) {}
