package dev.gatehouse.ratelimit;

/**
 * The generic cell rate algorithm (GCRA), the one place its arithmetic is written in Java; {@code gcra.lua} is
 * the same arithmetic for Redis, and one contract suite runs against both backends.
 *
 * <p>Why GCRA: it keeps one number per subject, the theoretical arrival time (TAT) of the next unit if the
 * subject used its rate exactly, and decides in O(1) with exact burst and sustained rate: no window edges that
 * admit twice the limit (fixed windows), no per-request timestamps (sliding logs), no refill timer (token
 * buckets, of which it is the continuous-time equivalent). With emission interval T = period / limit and
 * tolerance τ = T × burst, a request of cost c at time now is admitted iff
 * {@code max(TAT, now) + c·T − τ ≤ now}, and then TAT becomes {@code max(TAT, now) + c·T}. From idle exactly
 * {@code burst} unit requests pass at once, then one every T. A denied request changes nothing.
 *
 * <p>References: the ATM Forum Traffic Management Specification 4.0 (af-tm-0056.000, 1996), section 4.4.2,
 * where the GCRA(T, τ) "virtual scheduling" algorithm defines cell conformance; and Brandur Leach, "Rate
 * Limiting, Cells, and GCRA" (brandur.org/rate-limiting, 2015), which brought it to API rate limiting
 * (throttled, redis-cell).
 */
final class Gcra {

    private Gcra() {}

    /**
     * The decision for a subject whose TAT was {@code tat} (any value below {@code now} for one never seen or
     * full again). The caller stores {@link #newTat} when it is admitted.
     */
    static boolean admits(long tat, long now, Policy policy, long cost) {
        return now >= newTat(tat, now, policy, cost) - policy.toleranceMicros();
    }

    static long newTat(long tat, long now, Policy policy, long cost) {
        return Math.max(tat, now) + policy.intervalMicros() * cost;
    }

    /** An admitted request: the subject's TAT is now {@code newTat}. */
    static RateLimitDecision allowed(Policy policy, long newTat, long now) {
        long resetAfter = newTat - now;
        return new RateLimitDecision(true, policy.name(), policy.burst(), remaining(policy, resetAfter), resetAfter, 0);
    }

    /** A refused request: the subject's TAT stays {@code tat}. */
    static RateLimitDecision denied(Policy policy, long tat, long now, long cost) {
        long resetAfter = Math.max(0, tat - now);
        long retryAfter = newTat(tat, now, policy, cost) - policy.toleranceMicros() - now;
        return new RateLimitDecision(
                false, policy.name(), policy.burst(), remaining(policy, resetAfter), resetAfter, retryAfter);
    }

    /**
     * Units that could be spent at once now: what of τ the pending TAT does not use, in whole intervals. Divided
     * by multiplying with the interval's reciprocal and correcting the (at most one) rounding step, which is exact
     * and several times cheaper than a 64-bit division on every decision.
     */
    static long remaining(Policy policy, long resetAfter) {
        long free = policy.toleranceMicros() - resetAfter;
        if (free <= 0) return 0;
        long interval = policy.intervalMicros();
        long units = (long) (free * policy.reciprocalInterval());
        if (units * interval > free) units--;
        else if ((units + 1) * interval <= free) units++;
        return Math.min(policy.burst(), units);
    }
}
