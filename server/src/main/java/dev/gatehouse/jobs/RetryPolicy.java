package dev.gatehouse.jobs;

import java.time.Duration;

/**
 * How often a failing job is tried and how long it waits in between: exponential backoff, doubling from
 * {@code initialDelay} after each failed attempt and capped at {@code maxDelay}.
 *
 * @param maxAttempts attempts in total, the first included; after the last failure the job is dead
 * @param initialDelay the wait after the first failure
 * @param maxDelay the longest wait between two attempts
 */
public record RetryPolicy(int maxAttempts, Duration initialDelay, Duration maxDelay) {

    public RetryPolicy {
        if (maxAttempts < 1) throw new IllegalArgumentException("maxAttempts must be at least 1");
        if (initialDelay.isNegative() || maxDelay.isNegative()) {
            throw new IllegalArgumentException("delays must not be negative");
        }
        if (maxDelay.compareTo(initialDelay) < 0) {
            throw new IllegalArgumentException("maxDelay must not be shorter than initialDelay");
        }
    }

    /** The wait before the next attempt, given how many attempts have failed so far (1 or more). */
    public Duration delayAfter(int failedAttempts) {
        if (failedAttempts < 1) throw new IllegalArgumentException("failedAttempts must be at least 1");
        // Doubling 62 times overflows a long of nanoseconds long before that, so stop once past the cap.
        Duration delay = initialDelay;
        for (int i = 1; i < failedAttempts && delay.compareTo(maxDelay) < 0; i++) {
            delay = delay.multipliedBy(2);
        }
        return delay.compareTo(maxDelay) > 0 ? maxDelay : delay;
    }
}
