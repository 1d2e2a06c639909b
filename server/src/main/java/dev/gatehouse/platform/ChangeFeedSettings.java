package dev.gatehouse.platform;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The generic change feed ({@code gatehouse.change-feed.*}), see {@link ChangeFeed}.
 *
 * @param pollInterval how often each node reads the feed: the bound on how late another node's change is seen
 * @param lookback how far back each read reaches before the previous one: longer than any transaction that
 *     publishes a change can take to commit, so a change committed late is still seen
 * @param staleAfter when the feed has not been read successfully for this long, {@link ChangeFeed#fresh()}
 *     turns false and caches relying on it read through to the database
 * @param retention rows older than this are deleted (every node deletes, about once a minute); must exceed
 *     the lookback
 */
@ConfigurationProperties("gatehouse.change-feed")
record ChangeFeedSettings(
        @DefaultValue("250ms") Duration pollInterval,
        @DefaultValue("30s") Duration lookback,
        @DefaultValue("5s") Duration staleAfter,
        @DefaultValue("10m") Duration retention) {

    ChangeFeedSettings {
        for (Duration d : new Duration[] {pollInterval, lookback, staleAfter, retention}) {
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException("gatehouse.change-feed durations must be positive");
            }
        }
        if (staleAfter.compareTo(pollInterval) <= 0) {
            throw new IllegalArgumentException("gatehouse.change-feed.stale-after must exceed poll-interval");
        }
        if (retention.compareTo(lookback.multipliedBy(2)) < 0) {
            throw new IllegalArgumentException("gatehouse.change-feed.retention must be at least twice the lookback");
        }
    }
}
