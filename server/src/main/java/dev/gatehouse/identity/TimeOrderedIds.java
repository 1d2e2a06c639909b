package dev.gatehouse.identity;

import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Time-ordered UUIDs (version 7, RFC 9562 §5.7: 48 bits of Unix milliseconds, then 74 random bits) for
 * refresh-token rows. A random id (version 4) puts every new row's primary-key entry on a random leaf of
 * an index that grows with the table, and after each checkpoint the first change to a leaf writes the
 * whole 8 KB page to the WAL: with a million rotated tokens a refresh wrote 3.6 such page images (23 KB
 * of WAL). Ids in time order land on the last leaves, which stay in memory and are written once per
 * checkpoint, and the token a client presents (issued minutes ago) sits near them too: 1.5 page images
 * fewer per refresh (bench/README.md, "Refresh as the tables grow").
 * The ids are row keys, never shown to clients, so the issue time they reveal is no secret; their
 * randomness only has to keep them unique, hence {@link ThreadLocalRandom} rather than a locked
 * {@code SecureRandom}.
 */
final class TimeOrderedIds {

    private TimeOrderedIds() {}

    static UUID at(Instant time) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long msb = (time.toEpochMilli() << 16) | 0x7000L | (random.nextLong() & 0x0FFFL);
        long lsb = (random.nextLong() & 0x3FFF_FFFF_FFFF_FFFFL) | 0x8000_0000_0000_0000L;
        return new UUID(msb, lsb);
    }
}
