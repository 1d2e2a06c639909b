package dev.gatehouse.platform;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import org.jspecify.annotations.Nullable;

/**
 * Instants in and out of PostgreSQL {@code timestamptz} columns, the one type every table uses for time.
 * The driver binds and reads {@link OffsetDateTime} as {@code timestamptz} exactly; it does not take an
 * {@link Instant} everywhere, and {@code java.sql.Timestamp} goes through the JVM's default time zone.
 */
public final class Timestamps {

    private Timestamps() {}

    /** The parameter for a {@code timestamptz}; null stays null. */
    public static @Nullable OffsetDateTime utc(@Nullable Instant instant) {
        return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
    }

    /**
     * What a {@code timestamptz} column keeps of the instant: microseconds, rounded half up as the driver rounds
     * when it binds one. For values kept in memory that must equal what a later read of the column returns.
     */
    public static Instant micros(Instant instant) {
        Instant rounded = instant.getNano() % 1_000 >= 500 ? instant.plusNanos(1_000) : instant;
        return rounded.truncatedTo(ChronoUnit.MICROS);
    }

    /** A column that is {@code not null}. */
    public static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
        if (value == null) throw new SQLException("column " + column + " is null");
        return value.toInstant();
    }

    /** A column by position (an expression such as {@code now()}), that is not null. */
    public static Instant instant(ResultSet rs, int column) throws SQLException {
        OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
        if (value == null) throw new SQLException("column " + column + " is null");
        return value.toInstant();
    }

    public static @Nullable Instant nullableInstant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }
}
