package dev.gatehouse.ratelimit;

import java.time.Duration;
import java.util.regex.Pattern;

/**
 * A named limit: {@code limit} units per {@code period}, at most {@code burst} at once. As GCRA sees it, one unit
 * every {@code intervalMicros} (the emission interval T) with a tolerance of {@code burst} intervals (τ = T ×
 * burst). Both are whole microseconds, the unit both backends count in, so they compute the same numbers (Redis'
 * Lua has doubles only, exact to 2^53: microseconds since the epoch fit, nanoseconds do not).
 *
 * @param reciprocalInterval {@code 1.0 / intervalMicros}, for {@link Gcra#remaining}
 * @param headerPolicy this policy as an item of the {@code RateLimit-Policy} field, made once
 */
record Policy(
        String name,
        long limit,
        Duration period,
        long burst,
        FailureMode failureMode,
        long intervalMicros,
        long toleranceMicros,
        double reciprocalInterval,
        String headerPolicy,
        String headerLimit) {

    /** Policy names appear in Redis keys, metrics and headers: short lowercase words. */
    static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_-]{0,129}");

    static Policy of(String name, long limit, Duration period, long burst, FailureMode failureMode) {
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("Rate-limit policy name '" + name + "' must match " + NAME.pattern());
        }
        if (limit < 1) throw new IllegalArgumentException("Policy " + name + ": limit must be at least 1");
        if (burst < 1) throw new IllegalArgumentException("Policy " + name + ": burst must be at least 1");
        long periodMicros = period.toNanos() / 1_000;
        long interval = periodMicros / limit;
        if (interval < 1) {
            throw new IllegalArgumentException(
                    "Policy " + name + ": more than one request per microsecond (" + limit + " per " + period + ")");
        }
        if (period.compareTo(Duration.ofDays(366)) > 0) {
            throw new IllegalArgumentException("Policy " + name + ": a period longer than a year");
        }
        long tolerance = Math.multiplyExact(interval, burst);
        if (tolerance > 1L << 53) {
            // Gcra.remaining divides through a double, exact only below 2^53 (and so is Redis' Lua).
            throw new IllegalArgumentException("Policy " + name + ": a burst that takes centuries to refill");
        }
        // RateLimit-Policy (draft-ietf-httpapi-ratelimit-headers): q units, restored in full over w seconds.
        long window = Math.max(1, (tolerance + 999_999) / 1_000_000);
        String header = "\"" + name + "\";q=" + burst + ";w=" + window;
        return new Policy(
                name,
                limit,
                period,
                burst,
                failureMode,
                interval,
                tolerance,
                1.0 / interval,
                header,
                Long.toString(burst));
    }
}
