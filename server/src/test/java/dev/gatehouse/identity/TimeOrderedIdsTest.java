package dev.gatehouse.identity;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class TimeOrderedIdsTest {

    @Test
    void isAVersion7UuidCarryingItsMillisecond() {
        Instant at = Instant.parse("2026-12-05T08:00:00.123Z");
        UUID id = TimeOrderedIds.at(at);
        assertThat(id.version()).isEqualTo(7);
        assertThat(id.variant()).isEqualTo(2); // RFC 9562
        assertThat(id.getMostSignificantBits() >>> 16).isEqualTo(at.toEpochMilli());
        // The layout RFC 9562 shows: the first 48 bits are the timestamp in hex.
        assertThat(id.toString())
                .startsWith(String.format("%08x-%04x-7", at.toEpochMilli() >>> 16, at.toEpochMilli() & 0xFFFF));
    }

    @Test
    void laterIdsSortAfterEarlierOnesAsPostgresComparesThem() {
        Instant start = Instant.parse("2026-12-05T08:00:00Z");
        List<String> ids = new ArrayList<>();
        for (int ms = 0; ms < 1_000; ms++)
            ids.add(TimeOrderedIds.at(start.plusMillis(ms)).toString());
        // PostgreSQL orders uuid bytewise, which is the order of the lower-case hex text.
        assertThat(ids).isSorted();
    }

    @Test
    void idsOfOneMillisecondDiffer() {
        Instant at = Instant.parse("2026-12-05T08:00:00Z");
        var seen = new HashSet<UUID>();
        for (int i = 0; i < 10_000; i++) seen.add(TimeOrderedIds.at(at));
        assertThat(seen).hasSize(10_000);
    }
}
