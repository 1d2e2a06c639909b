package dev.gatehouse.platform;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Cross-module event delivery ({@code gatehouse.events.*}); the registry itself is configured under
 * {@code spring.modulith.events.*}.
 *
 * @param retryInterval how often each node delivers again the publications whose listener failed (each
 *     publication is claimed by one node); a publication is retried once it is at least this old
 */
@ConfigurationProperties("gatehouse.events")
record EventSettings(@DefaultValue("1m") Duration retryInterval) {

    EventSettings {
        if (retryInterval.isNegative() || retryInterval.isZero()) {
            throw new IllegalArgumentException("gatehouse.events.retry-interval must be positive");
        }
    }
}
