package dev.gatehouse.catalog;

import java.time.Duration;

/**
 * A request rate: {@code limit} requests per {@code per}, with at most {@code burst} at once.
 *
 * @param name the policy's name, e.g. {@code api}
 * @param scope what requests are counted by
 * @param limit the sustained number of requests per {@code per}
 * @param per the length of the window the limit is stated for (one second, minute, hour or day)
 * @param burst the most requests admitted at once; the limit when the file does not say
 */
public record RateLimitPolicy(String name, RateLimitScope scope, long limit, Duration per, long burst) {}
