package dev.gatehouse.metering;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import org.jspecify.annotations.Nullable;

/**
 * RFC 3339 timestamps as usage events carry them ({@code 2026-01-31T12:00:00.123Z}, {@code ...+02:00}). The common
 * shape is read by hand: {@link OffsetDateTime#parse} builds a map of parsed fields per call, and with a thousand
 * events a batch it was a tenth of ingest's CPU (JFR). Anything else goes to {@link OffsetDateTime#parse}, so the
 * accepted language is exactly the JDK's ISO offset date-time.
 */
final class Rfc3339 {

    private Rfc3339() {}

    /** The instant, or null when the text is not an RFC 3339 timestamp. */
    static @Nullable Instant parse(String s) {
        Instant fast = fast(s);
        if (fast != null) return fast;
        try {
            return OffsetDateTime.parse(s).toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    /** {@code yyyy-MM-ddTHH:mm:ss[.f{1,9}](Z|±HH:mm)}, or null for anything else (the slow path decides). */
    static @Nullable Instant fast(String s) {
        int n = s.length();
        if (n < 20
                || s.charAt(4) != '-'
                || s.charAt(7) != '-'
                || (s.charAt(10) != 'T' && s.charAt(10) != 't')
                || s.charAt(13) != ':'
                || s.charAt(16) != ':') {
            return null;
        }
        int year = digits(s, 0, 4);
        int month = digits(s, 5, 2);
        int day = digits(s, 8, 2);
        int hour = digits(s, 11, 2);
        int minute = digits(s, 14, 2);
        int second = digits(s, 17, 2);
        if ((year | month | day | hour | minute | second) < 0) return null;
        int i = 19;
        int nanos = 0;
        if (s.charAt(i) == '.') {
            int start = ++i;
            while (i < n && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
                if (i - start == 9) return null;
                nanos = nanos * 10 + (s.charAt(i) - '0');
                i++;
            }
            if (i == start) return null;
            for (int d = i - start; d < 9; d++) nanos *= 10;
        }
        int offset;
        if (i == n - 1 && (s.charAt(i) == 'Z' || s.charAt(i) == 'z')) {
            offset = 0;
        } else if (i == n - 6 && (s.charAt(i) == '+' || s.charAt(i) == '-') && s.charAt(i + 3) == ':') {
            int hours = digits(s, i + 1, 2);
            int minutes = digits(s, i + 4, 2);
            if ((hours | minutes) < 0 || hours > 18 || minutes > 59) return null;
            offset = (s.charAt(i) == '-' ? -1 : 1) * (hours * 3600 + minutes * 60);
        } else {
            return null;
        }
        try {
            return LocalDateTime.of(year, month, day, hour, minute, second, nanos)
                    .toInstant(ZoneOffset.ofTotalSeconds(offset));
        } catch (DateTimeException e) {
            return null; // 2026-02-30 and the like: the slow path refuses them too
        }
    }

    /** The decimal number in {@code s[from, from + count)}, or -1 if a character is not an ASCII digit. */
    private static int digits(String s, int from, int count) {
        int value = 0;
        for (int i = from; i < from + count; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') return -1;
            value = value * 10 + (c - '0');
        }
        return value;
    }
}
