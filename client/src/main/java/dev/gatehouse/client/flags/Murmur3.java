package dev.gatehouse.client.flags;

import java.nio.charset.StandardCharsets;

/**
 * MurmurHash3 x86_32 (Austin Appleby's public-domain reference, {@code MurmurHash3_x86_32}), the hash Unleash
 * uses for rollout buckets and variant selection. Bucketing is only compatible if every byte agrees, so this is
 * the reference algorithm over the UTF-8 bytes, checked against published vectors in {@code Murmur3Test}.
 */
public final class Murmur3 {

    private static final int C1 = 0xcc9e2d51;
    private static final int C2 = 0x1b873593;

    private Murmur3() {}

    /** The 32-bit hash of {@code data} with {@code seed}, as a signed int (read it unsigned). */
    public static int hash32(byte[] data, int seed) {
        int h1 = seed;
        int blocks = data.length / 4;
        for (int i = 0; i < blocks; i++) {
            int at = i * 4;
            int k1 = (data[at] & 0xff)
                    | (data[at + 1] & 0xff) << 8
                    | (data[at + 2] & 0xff) << 16
                    | (data[at + 3] & 0xff) << 24;
            k1 *= C1;
            k1 = Integer.rotateLeft(k1, 15);
            k1 *= C2;
            h1 ^= k1;
            h1 = Integer.rotateLeft(h1, 13);
            h1 = h1 * 5 + 0xe6546b64;
        }
        int tail = blocks * 4;
        int k1 = 0;
        switch (data.length & 3) {
            case 3:
                k1 ^= (data[tail + 2] & 0xff) << 16;
            // fall through
            case 2:
                k1 ^= (data[tail + 1] & 0xff) << 8;
            // fall through
            case 1:
                k1 ^= data[tail] & 0xff;
                k1 *= C1;
                k1 = Integer.rotateLeft(k1, 15);
                k1 *= C2;
                h1 ^= k1;
                break;
            default:
                break;
        }
        h1 ^= data.length;
        h1 ^= h1 >>> 16;
        h1 *= 0x85ebca6b;
        h1 ^= h1 >>> 13;
        h1 *= 0xc2b2ae35;
        h1 ^= h1 >>> 16;
        return h1;
    }

    /**
     * Unleash's normalized bucket: the unsigned hash of {@code "{groupId}:{identifier}"} (UTF-8) modulo
     * {@code modulus}, plus one, so 1 to {@code modulus}.
     */
    public static int bucket(String groupId, String identifier, int modulus, int seed) {
        byte[] bytes = (groupId + ':' + identifier).getBytes(StandardCharsets.UTF_8);
        return (int) (Integer.toUnsignedLong(hash32(bytes, seed)) % modulus) + 1;
    }
}
