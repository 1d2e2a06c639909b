package dev.gatehouse.catalog;

import com.fasterxml.jackson.annotation.JsonValue;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.Optional;

/** The window a limit counts usage in, and after which it starts again; calendar windows in UTC. */
public enum Period {
    HOUR,
    DAY,
    MONTH,
    /** A standing limit that never resets (storage in use, seats). */
    NONE;

    /** The name in plans.yml and on the wire. */
    @JsonValue
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The window {@code [start, end)} that contains {@code at}; empty for {@link #NONE}. */
    public Optional<Window> windowAt(Instant at) {
        return switch (this) {
            case HOUR -> {
                Instant start = at.truncatedTo(ChronoUnit.HOURS);
                yield Optional.of(new Window(start, start.plus(1, ChronoUnit.HOURS)));
            }
            case DAY -> {
                Instant start = at.truncatedTo(ChronoUnit.DAYS);
                yield Optional.of(new Window(start, start.plus(1, ChronoUnit.DAYS)));
            }
            case MONTH -> {
                LocalDate first = LocalDate.ofInstant(at, ZoneOffset.UTC).withDayOfMonth(1);
                yield Optional.of(new Window(
                        first.atStartOfDay(ZoneOffset.UTC).toInstant(),
                        first.plusMonths(1).atStartOfDay(ZoneOffset.UTC).toInstant()));
            }
            case NONE -> Optional.empty();
        };
    }

    /** A half-open window of time, {@code [start, end)}. */
    public record Window(Instant start, Instant end) {
        public boolean contains(Instant at) {
            return !at.isBefore(start) && at.isBefore(end);
        }
    }
}
