package dev.gatehouse.metering;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The hand-read RFC 3339 timestamps agree with the JDK's parser on every input, good or bad. */
class Rfc3339Test {

    private static final List<String> SAMPLES = List.of(
            "2026-01-31T12:00:00Z",
            "2026-01-31t12:00:00z",
            "2026-01-31T12:00:00.1Z",
            "2026-01-31T12:00:00.123456789Z",
            "2026-01-31T12:00:00.1234567891Z",
            "2026-01-31T12:00:00+02:00",
            "2026-01-31T12:00:00.5-07:30",
            "2026-01-31T23:59:59+18:00",
            "2026-01-31T23:59:59+19:00",
            "2024-02-29T00:00:00Z",
            "2025-02-29T00:00:00Z",
            "2026-13-01T00:00:00Z",
            "2026-01-31T24:00:00Z",
            "2026-01-31T12:60:00Z",
            "2026-01-31T12:00:60Z",
            "2026-01-31T12:00:00",
            "2026-01-31T12:00:00.Z",
            "2026-01-31 12:00:00Z",
            "2026-1-31T12:00:00Z",
            "２０２６-01-31T12:00:00Z",
            "2026-01-31T12:00:00+0200",
            "2026-01-31T12:00Z",
            "yesterday",
            "");

    @Test
    void agreesWithTheJdkParser() {
        for (String s : SAMPLES) {
            java.time.Instant jdk;
            try {
                jdk = OffsetDateTime.parse(s).toInstant();
            } catch (DateTimeParseException e) {
                jdk = null;
            }
            assertThat(Rfc3339.parse(s)).as(s).isEqualTo(jdk);
            java.time.Instant fast = Rfc3339.fast(s);
            if (fast != null) assertThat(fast).as("fast path " + s).isEqualTo(jdk);
        }
    }

    @Test
    void theCommonShapesTakeTheFastPath() {
        assertThat(Rfc3339.fast("2026-01-31T12:00:00Z")).isNotNull();
        assertThat(Rfc3339.fast("2026-01-31T12:00:00.123456Z")).isNotNull();
        assertThat(Rfc3339.fast("2026-01-31T12:00:00+02:00")).isNotNull();
    }
}
