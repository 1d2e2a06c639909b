package dev.gatehouse.jobs;

import java.time.Duration;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** When a {@link RecurringJob} runs: on a cron expression or with a fixed delay between runs. */
public sealed interface RecurringSchedule {

    /**
     * A Spring-style cron expression with seconds ({@code "0 17 3 * * *"} is 03:17:00 every day).
     *
     * @param zone the time zone the expression is read in
     */
    record Cron(String expression, ZoneId zone) implements RecurringSchedule {
        public Cron {
            if (expression.isBlank()) throw new IllegalArgumentException("cron expression must not be blank");
        }
    }

    /** Runs again {@code delay} after the previous run finished. */
    record FixedDelay(Duration delay) implements RecurringSchedule {
        public FixedDelay {
            if (delay.isNegative() || delay.isZero()) throw new IllegalArgumentException("delay must be positive");
        }
    }

    /** A cron schedule read in UTC. */
    static RecurringSchedule cron(String expression) {
        return new Cron(expression, ZoneOffset.UTC);
    }

    static RecurringSchedule fixedDelay(Duration delay) {
        return new FixedDelay(delay);
    }
}
