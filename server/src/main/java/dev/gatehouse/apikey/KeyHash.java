package dev.gatehouse.apikey;

import java.nio.ByteBuffer;

/**
 * The SHA-256 of a presented key, as four longs: the cache key of verification (so the key itself is never
 * kept in memory beyond the request) with value equality and a cheap hash code, unlike a {@code byte[]}.
 */
record KeyHash(long a, long b, long c, long d) {

    static KeyHash of(byte[] sha256) {
        if (sha256.length != 32) throw new IllegalArgumentException("a SHA-256 has 32 bytes");
        ByteBuffer buffer = ByteBuffer.wrap(sha256);
        return new KeyHash(buffer.getLong(), buffer.getLong(), buffer.getLong(), buffer.getLong());
    }

    /** The 32 bytes, as stored in {@code api_keys.secret_hash}. */
    byte[] bytes() {
        return ByteBuffer.allocate(32)
                .putLong(a)
                .putLong(b)
                .putLong(c)
                .putLong(d)
                .array();
    }

    @Override
    public int hashCode() {
        // The bits are uniformly random already: any 32 of them make a perfect hash code.
        return (int) a;
    }
}
