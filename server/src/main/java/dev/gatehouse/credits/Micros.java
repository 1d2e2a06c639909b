package dev.gatehouse.credits;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * Credit amounts: the ledger counts integer micro-PT (1 PT = 1,000,000), the API shows PT as exact decimals with up
 * to six places. Never floating point.
 */
final class Micros {

    static final long PER_PT = 1_000_000L;
    static final int SCALE = 6;

    /** The largest amount one call may move: 10^12 PT, far below where micro-PT sums could overflow a long. */
    static final long MAX = 1_000_000_000_000L * PER_PT;

    private Micros() {}

    /** PT to micro-PT; refuses more than six decimal places (throws ArithmeticException) and overflow. */
    static long of(BigDecimal pt) {
        return pt.setScale(SCALE, RoundingMode.UNNECESSARY)
                .movePointRight(SCALE)
                .longValueExact();
    }

    /** Whole PT to micro-PT. */
    static long ofWhole(long pt) {
        return Math.multiplyExact(pt, PER_PT);
    }

    /** micro-PT as PT, with six decimal places stripped of trailing zeros (1.5, 100). */
    static BigDecimal pt(long micros) {
        BigDecimal value = BigDecimal.valueOf(micros, SCALE).stripTrailingZeros();
        return value.scale() < 0 ? value.setScale(0) : value;
    }
}
