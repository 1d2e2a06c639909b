package dev.gatehouse.apikey;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * API key settings ({@code gatehouse.api-keys.*}).
 *
 * @param maxActivePerOrg how many unrevoked, unexpired API keys one organization may hold
 * @param cacheSize how many verified keys each node keeps in memory
 * @param cacheTtl how long a node trusts a cached key at most; a backstop only, since changes reach
 *     every node through the change feed within {@code pollInterval}
 * @param unknownTtl how long a node remembers that a well-formed key does not exist
 * @param pollInterval how often each node reads the change feed (revocations, rotations) from PostgreSQL
 * @param changeLookback how far back each read of the feed reaches before the previous read: longer than
 *     any transaction that changes a key can take to commit, so a change committed late is still seen
 * @param staleAfter when the feed has not been read successfully for this long, the node stops trusting
 *     its cache and asks PostgreSQL on every verification until the feed works again
 * @param lastUsedFlushInterval how often each node writes the keys' last-used times, in one statement
 */
@ConfigurationProperties("gatehouse.api-keys")
record ApiKeySettings(
        @DefaultValue("100") int maxActivePerOrg,
        @DefaultValue("100000") long cacheSize,
        @DefaultValue("10m") Duration cacheTtl,
        @DefaultValue("10s") Duration unknownTtl,
        @DefaultValue("250ms") Duration pollInterval,
        @DefaultValue("30s") Duration changeLookback,
        @DefaultValue("5s") Duration staleAfter,
        @DefaultValue("5s") Duration lastUsedFlushInterval) {

    ApiKeySettings {
        if (maxActivePerOrg < 1)
            throw new IllegalArgumentException("gatehouse.api-keys.max-active-per-org must be >= 1");
        if (cacheSize < 1) throw new IllegalArgumentException("gatehouse.api-keys.cache-size must be >= 1");
        for (Duration d :
                new Duration[] {cacheTtl, unknownTtl, pollInterval, changeLookback, staleAfter, lastUsedFlushInterval
                }) {
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException("gatehouse.api-keys durations must be positive");
            }
        }
        if (staleAfter.compareTo(pollInterval) <= 0) {
            throw new IllegalArgumentException("gatehouse.api-keys.stale-after must be longer than poll-interval");
        }
    }
}
