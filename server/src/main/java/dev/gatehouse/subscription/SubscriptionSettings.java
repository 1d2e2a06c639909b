package dev.gatehouse.subscription;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Subscription settings ({@code gatehouse.subscriptions.*}).
 *
 * @param downgrades when a change to a cheaper plan takes effect: {@code period-end} (the customer keeps what
 *     they paid for until the period ends) or {@code immediately}
 * @param renewalInterval how often the renewal job looks for periods that ended (scheduled downgrades, canceled
 *     subscriptions and trials expiring, next periods)
 * @param cacheSize how many organizations' subscriptions each node keeps in memory
 * @param cacheTtl the longest a node keeps one; a backstop, since changes reach every node through the change feed
 */
@ConfigurationProperties("gatehouse.subscriptions")
record SubscriptionSettings(
        @DefaultValue("period-end") Downgrades downgrades,
        @DefaultValue("1m") Duration renewalInterval,
        @DefaultValue("100000") long cacheSize,
        @DefaultValue("10m") Duration cacheTtl) {

    enum Downgrades {
        PERIOD_END,
        IMMEDIATELY
    }
}
