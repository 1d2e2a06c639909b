package dev.gatehouse.metering;

import java.math.BigDecimal;

/** Usage figures as the API shows them: exact decimals without trailing zeros, never in exponent notation. */
final class Amounts {

    private Amounts() {}

    static BigDecimal plain(BigDecimal value) {
        BigDecimal stripped = value.stripTrailingZeros();
        return stripped.scale() < 0 ? stripped.setScale(0) : stripped;
    }
}
