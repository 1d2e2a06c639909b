package dev.gatehouse.catalog;

import com.fasterxml.jackson.annotation.JsonValue;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * What a plan costs.
 *
 * @param amount the price per interval, exact (e.g. {@code 19.99})
 * @param currency the ISO 4217 code, upper case (e.g. {@code USD})
 * @param interval how often it is charged; null for a plan free of charge
 */
public record Price(
        BigDecimal amount, String currency, @Nullable Interval interval) {

    public enum Interval {
        MONTH,
        YEAR;

        @JsonValue
        public String wire() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public boolean free() {
        return amount.signum() == 0;
    }

    /** The price per month (a yearly price divided by 12), for comparing plans and for MRR. */
    public BigDecimal monthly() {
        if (interval == Interval.YEAR) return amount.divide(BigDecimal.valueOf(12), 4, RoundingMode.HALF_EVEN);
        return amount;
    }
}
