package dev.gatehouse.metering;

import com.fasterxml.jackson.annotation.JsonValue;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * The period a limit counts over: a UTC calendar day or month, or none (a gauge such as storage, limited at
 * every moment). The wire name is also the {@code period} column of {@code usage_totals} and
 * {@code usage_alerts}.
 */
public enum LimitPeriod {
    DAY,
    MONTH,
    NONE;

    @JsonValue
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    static LimitPeriod of(String wire) {
        for (LimitPeriod p : values()) {
            if (p.wire().equals(wire)) return p;
        }
        throw new IllegalArgumentException("Unknown period " + wire);
    }

    /** The first day of the period that holds {@code day}; for {@link #NONE}, the first of its month. */
    LocalDate start(LocalDate day) {
        return this == DAY ? day : day.withDayOfMonth(1);
    }

    /** The period holding {@code now} starts at this day (UTC). */
    LocalDate start(Instant now) {
        return start(LocalDate.ofInstant(now, ZoneOffset.UTC));
    }

    /** When the period holding {@code now} ends and its count starts again from zero; never for {@link #NONE}. */
    @Nullable
    Instant resetsAt(Instant now) {
        LocalDate start = start(now);
        return switch (this) {
            case DAY -> start.plusDays(1).atStartOfDay().toInstant(ZoneOffset.UTC);
            case MONTH -> start.plusMonths(1).atStartOfDay().toInstant(ZoneOffset.UTC);
            case NONE -> null;
        };
    }
}
