package dev.gatehouse.metering;

import java.math.BigDecimal;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * The answer to one quota consumption.
 *
 * @param allowed whether the amount was admitted (and counted)
 * @param used the period's usage after the decision (with the amount when admitted, without it when refused)
 * @param limit the plan's limit for the period; null when the plan sets none
 * @param resetsAt when the period's count starts again; null without a limit
 */
record Decision(
        String meter,
        boolean allowed,
        BigDecimal used,
        @Nullable BigDecimal limit,
        @Nullable Instant resetsAt) {

    /** What is left of the limit (never below zero); null without a limit. */
    @Nullable
    BigDecimal remaining() {
        return limit == null ? null : limit.subtract(used).max(BigDecimal.ZERO);
    }
}
