package dev.gatehouse.identity.argon2;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.bouncycastle.crypto.digests.Blake2bDigest;

/**
 * Argon2id, version 1.3 (RFC 9106), computed in one reusable {@code long[]} per thread.
 *
 * <p>Why not BouncyCastle's {@code Argon2BytesGenerator}, which produces the same bytes (a test checks
 * it)? Two measured reasons. It allocates its memory afresh for every hash as thousands of small block
 * objects (7 MiB per login, about 700 MB/s of garbage at full login rate). And its round function is
 * a chain of tiny methods whose speed depends on what C2 decides to inline: across launches of the
 * full server the same login benchmark ran at 42 or at 97 logins/s. Here the BlaMka permutation is
 * two straight-line methods (one for a row, one for a column of the block) with constant array
 * offsets, called 16 times per block: there is nothing left for C2 to decide, the bounds are checked
 * once per call, and a hash costs what BouncyCastle's costs on its best launches (about 17.5 ms on
 * the bench machine). The memory is one array per thread, reused.
 *
 * <p>BouncyCastle still provides BLAKE2b for the initial and final hashing (H0 and H'), which are a
 * few microseconds per call and not worth owning.
 */
public final class Argon2id {

    private static final int VERSION = 0x13;
    private static final int TYPE_ID = 2;
    private static final int SYNC_POINTS = 4;
    private static final int BLOCK_LONGS = 128;
    private static final int BLOCK_BYTES = 1024;

    /** Per-thread working memory: grown on demand, then reused by every later hash on that thread. */
    private static final ThreadLocal<long[]> MEMORY = ThreadLocal.withInitial(() -> new long[0]);

    private Argon2id() {}

    /** The Argon2id tag of {@code password} with {@code salt}: m KiB of memory, t passes, p lanes. */
    public static byte[] hash(
            byte[] password, byte[] salt, int memoryKib, int iterations, int parallelism, int tagLength) {
        return hash(password, salt, new byte[0], new byte[0], memoryKib, iterations, parallelism, tagLength);
    }

    /** As {@link #hash(byte[], byte[], int, int, int, int)}, with the optional secret K and associated data X. */
    static byte[] hash(
            byte[] password,
            byte[] salt,
            byte[] secret,
            byte[] associated,
            int memoryKib,
            int iterations,
            int parallelism,
            int tagLength) {
        if (parallelism < 1 || parallelism > 0xFFFFFF) throw new IllegalArgumentException("parallelism out of range");
        if (iterations < 1) throw new IllegalArgumentException("iterations must be at least 1");
        if (memoryKib < 8 * parallelism) throw new IllegalArgumentException("memory must be at least 8 KiB per lane");
        if (tagLength < 4) throw new IllegalArgumentException("tag length must be at least 4");
        if (salt.length < 8) throw new IllegalArgumentException("salt must be at least 8 bytes");

        int blocks = SYNC_POINTS * parallelism * (memoryKib / (SYNC_POINTS * parallelism));
        int laneLength = blocks / parallelism;
        int segmentLength = laneLength / SYNC_POINTS;
        long[] memory = memory(blocks);

        byte[] h0 = initialHash(password, salt, secret, associated, memoryKib, iterations, parallelism, tagLength);
        byte[] seed = new byte[72];
        System.arraycopy(h0, 0, seed, 0, 64);
        byte[] block = new byte[BLOCK_BYTES];
        for (int lane = 0; lane < parallelism; lane++) {
            for (int j = 0; j < 2; j++) {
                putIntLE(seed, 64, j);
                putIntLE(seed, 68, lane);
                variableHash(seed, block);
                ByteBuffer.wrap(block)
                        .order(ByteOrder.LITTLE_ENDIAN)
                        .asLongBuffer()
                        .get(memory, (lane * laneLength + j) * BLOCK_LONGS, BLOCK_LONGS);
            }
        }

        Filler filler = new Filler(memory, blocks, laneLength, segmentLength, parallelism, iterations);
        for (int pass = 0; pass < iterations; pass++) {
            for (int slice = 0; slice < SYNC_POINTS; slice++) {
                for (int lane = 0; lane < parallelism; lane++) {
                    filler.fillSegment(pass, slice, lane);
                }
            }
        }

        long[] last = new long[BLOCK_LONGS];
        for (int lane = 0; lane < parallelism; lane++) {
            int off = (lane * laneLength + laneLength - 1) * BLOCK_LONGS;
            for (int i = 0; i < BLOCK_LONGS; i++) last[i] ^= memory[off + i];
        }
        ByteBuffer.wrap(block).order(ByteOrder.LITTLE_ENDIAN).asLongBuffer().put(last);
        byte[] tag = new byte[tagLength];
        variableHash(block, tag);
        return tag;
    }

    private static long[] memory(int blocks) {
        long[] memory = MEMORY.get();
        if (memory.length < blocks * BLOCK_LONGS) {
            memory = new long[blocks * BLOCK_LONGS];
            MEMORY.set(memory);
        }
        return memory;
    }

    private static byte[] initialHash(
            byte[] password,
            byte[] salt,
            byte[] secret,
            byte[] associated,
            int memoryKib,
            int iterations,
            int parallelism,
            int tagLength) {
        Blake2bDigest h = new Blake2bDigest(512);
        int[] params = {parallelism, tagLength, memoryKib, iterations, VERSION, TYPE_ID};
        byte[] le = new byte[4];
        for (int p : params) {
            putIntLE(le, 0, p);
            h.update(le, 0, 4);
        }
        for (byte[] field : new byte[][] {password, salt, secret, associated}) {
            putIntLE(le, 0, field.length);
            h.update(le, 0, 4);
            h.update(field, 0, field.length);
        }
        byte[] out = new byte[64];
        h.doFinal(out, 0);
        return out;
    }

    /** H' of RFC 9106 §3.3: BLAKE2b stretched to any output length. */
    private static void variableHash(byte[] input, byte[] out) {
        byte[] len = new byte[4];
        putIntLE(len, 0, out.length);
        if (out.length <= 64) {
            Blake2bDigest h = new Blake2bDigest(out.length * 8);
            h.update(len, 0, 4);
            h.update(input, 0, input.length);
            h.doFinal(out, 0);
            return;
        }
        int r = (out.length + 31) / 32 - 2;
        byte[] v = new byte[64];
        Blake2bDigest h = new Blake2bDigest(512);
        h.update(len, 0, 4);
        h.update(input, 0, input.length);
        h.doFinal(v, 0);
        System.arraycopy(v, 0, out, 0, 32);
        for (int i = 1; i < r; i++) {
            h.update(v, 0, 64);
            h.doFinal(v, 0);
            System.arraycopy(v, 0, out, i * 32, 32);
        }
        int rest = out.length - 32 * r;
        Blake2bDigest tail = new Blake2bDigest(rest * 8);
        tail.update(v, 0, 64);
        byte[] last = new byte[rest];
        tail.doFinal(last, 0);
        System.arraycopy(last, 0, out, 32 * r, rest);
    }

    private static void putIntLE(byte[] b, int off, int v) {
        b[off] = (byte) v;
        b[off + 1] = (byte) (v >>> 8);
        b[off + 2] = (byte) (v >>> 16);
        b[off + 3] = (byte) (v >>> 24);
    }

    /** The memory-filling passes (RFC 9106 §3.4) over one hash's memory. */
    private static final class Filler {
        private final long[] memory;
        private final int blocks;
        private final int laneLength;
        private final int segmentLength;
        private final int lanes;
        private final int passes;
        private final long[] r = new long[BLOCK_LONGS];
        private final long[] input = new long[BLOCK_LONGS];
        private final long[] addresses = new long[BLOCK_LONGS];
        private final long[] zero = new long[BLOCK_LONGS];

        Filler(long[] memory, int blocks, int laneLength, int segmentLength, int lanes, int passes) {
            this.memory = memory;
            this.blocks = blocks;
            this.laneLength = laneLength;
            this.segmentLength = segmentLength;
            this.lanes = lanes;
            this.passes = passes;
        }

        void fillSegment(int pass, int slice, int lane) {
            // Argon2id: the first half of the first pass uses data-independent addresses (Argon2i),
            // the rest data-dependent ones (Argon2d).
            boolean independent = pass == 0 && slice < SYNC_POINTS / 2;
            if (independent) {
                java.util.Arrays.fill(input, 0L);
                input[0] = pass;
                input[1] = lane;
                input[2] = slice;
                input[3] = blocks;
                input[4] = passes;
                input[5] = TYPE_ID;
            }
            int start = 0;
            if (pass == 0 && slice == 0) {
                start = 2; // the first two blocks of each lane come from H0
                if (independent) nextAddresses();
            }
            int current = lane * laneLength + slice * segmentLength + start;
            int previous = current % laneLength == 0 ? current + laneLength - 1 : current - 1;
            for (int i = start; i < segmentLength; i++, current++, previous++) {
                if (current % laneLength == 1) previous = current - 1;
                long pseudoRandom;
                if (independent) {
                    if (i % BLOCK_LONGS == 0) nextAddresses();
                    pseudoRandom = addresses[i % BLOCK_LONGS];
                } else {
                    pseudoRandom = memory[previous * BLOCK_LONGS];
                }
                int refLane = (pass == 0 && slice == 0) ? lane : (int) ((pseudoRandom >>> 32) % lanes);
                int refIndex = referenceIndex(pass, slice, i, pseudoRandom & 0xFFFFFFFFL, refLane == lane);
                int reference = refLane * laneLength + refIndex;
                fillBlock(previous * BLOCK_LONGS, reference * BLOCK_LONGS, current * BLOCK_LONGS, pass > 0);
            }
        }

        /** The index_alpha mapping of RFC 9106 §3.4.1.2, in unsigned 64-bit arithmetic. */
        private int referenceIndex(int pass, int slice, int index, long j1, boolean sameLane) {
            long area;
            if (pass == 0) {
                if (slice == 0) {
                    area = index - 1;
                } else if (sameLane) {
                    area = (long) slice * segmentLength + index - 1;
                } else {
                    area = (long) slice * segmentLength + (index == 0 ? -1 : 0);
                }
            } else if (sameLane) {
                area = laneLength - segmentLength + index - 1;
            } else {
                area = laneLength - segmentLength + (index == 0 ? -1 : 0);
            }
            long x = (j1 * j1) >>> 32;
            long relative = area - 1 - ((area * x) >>> 32);
            long startPosition = (pass != 0 && slice != SYNC_POINTS - 1) ? (long) (slice + 1) * segmentLength : 0;
            return (int) ((startPosition + relative) % laneLength);
        }

        private void nextAddresses() {
            input[6]++;
            compress(zero, 0, input, 0, addresses, 0, false);
            compress(zero, 0, addresses, 0, addresses, 0, false);
        }

        private void fillBlock(int prevOff, int refOff, int nextOff, boolean xorInto) {
            compress(memory, prevOff, memory, refOff, memory, nextOff, xorInto);
        }

        /** G of RFC 9106 §3.5: out = P(x ^ y) ^ (x ^ y), also ^ out's old value in passes after the first. */
        private void compress(long[] x, int xOff, long[] y, int yOff, long[] out, int outOff, boolean xorInto) {
            long[] r = this.r;
            for (int i = 0; i < BLOCK_LONGS; i++) r[i] = x[xOff + i] ^ y[yOff + i];
            for (int row = 0; row < 8; row++) permuteRow(r, row * 16);
            for (int col = 0; col < 8; col++) permuteColumn(r, col * 2);
            if (xorInto) {
                for (int i = 0; i < BLOCK_LONGS; i++) out[outOff + i] ^= r[i] ^ x[xOff + i] ^ y[yOff + i];
            } else {
                for (int i = 0; i < BLOCK_LONGS; i++) out[outOff + i] = r[i] ^ x[xOff + i] ^ y[yOff + i];
            }
        }
    }

    /**
     * The BlaMka permutation P (RFC 9106 §3.6) over one row of the block: its eight 16-byte registers are
     * the 16 longs from {@code b}. Straight-line code with constant offsets on purpose (see the class
     * comment): C2 compiles it the same way every time and checks the array bounds once.
     */
    private static void permuteRow(long[] v, int b) {
        { // GB(v0, v4, v8, v12)
            long a = v[b], x = v[b + 4], c = v[b + 8], d = v[b + 12];
            a += x + 2 * (a & 0xFFFFFFFFL) * (x & 0xFFFFFFFFL);
            d = Long.rotateRight(d ^ a, 32);
            c += d + 2 * (c & 0xFFFFFFFFL) * (d & 0xFFFFFFFFL);
            x = Long.rotateRight(x ^ c, 24);
            a += x + 2 * (a & 0xFFFFFFFFL) * (x & 0xFFFFFFFFL);
            d = Long.rotateRight(d ^ a, 16);
            c += d + 2 * (c & 0xFFFFFFFFL) * (d & 0xFFFFFFFFL);
            x = Long.rotateRight(x ^ c, 63);
            v[b] = a;
            v[b + 4] = x;
            v[b + 8] = c;
            v[b + 12] = d;
        }
        { // GB(v1, v5, v9, v13)
            long a = v[b + 1], x = v[b + 5], c = v[b + 9], d = v[b + 13];
            a += x + 2 * (a & 0xFFFFFFFFL) * (x & 0xFFFFFFFFL);
            d = Long.rotateRight(d ^ a, 32);
            c += d + 2 * (c & 0xFFFFFFFFL) * (d & 0xFFFFFFFFL);
            x = Long.rotateRight(x ^ c, 24);
            a += x + 2 * (a & 0xFFFFFFFFL) * (x & 0xFFFFFFFFL);
            d = Long.rotateRight(d ^ a, 16);
            c += d + 2 * (c & 0xFFFFFFFFL) * (d & 0xFFFFFFFFL);
            x = Long.rotateRight(x ^ c, 63);
            v[b + 1] = a;
            v[b + 5] = x;
            v[b + 9] = c;
            v[b + 13] = d;
        }
        { // GB(v2, v6, v10, v14)
            long a = v[b + 2], x = v[b + 6], c = v[b + 10], d = v[b + 14];
            a += x + 2 * (a & 0xFFFFFFFFL) * (x & 0xFFFFFFFFL);
            d = Long.rotateRight(d ^ a, 32);
            c += d + 2 * (c & 0xFFFFFFFFL) * (d & 0xFFFFFFFFL);
            x = Long.rotateRight(x ^ c, 24);
            a += x + 2 * (a & 0xFFFFFFFFL) * (x & 0xFFFFFFFFL);
            d = Long.rotateRight(d ^ a, 16);
            c += d + 2 * (c & 0xFFFFFFFFL) * (d & 0xFFFFFFFFL);
            x = Long.rotateRight(x ^ c, 63);
            v[b + 2] = a;
            v[b + 6] = x;
            v[b + 10] = c;
            v[b + 14] = d;
        }
        { // GB(v3, v7, v11, v15)
            long a = v[b + 3], x = v[b + 7], c = v[b + 11], d = v[b + 15];
            a += x + 2 * (a & 0xFFFFFFFFL) * (x & 0xFFFFFFFFL);
            d = Long.rotateRight(d ^ a, 32);
            c += d + 2 * (c & 0xFFFFFFFFL) * (d & 0xFFFFFFFFL);
            x = Long.rotateRight(x ^ c, 24);
            a += x + 2 * (a & 0xFFFFFFFFL) * (x & 0xFFFFFFFFL);
            d = Long.rotateRight(d ^ a, 16);
            c += d + 2 * (c & 0xFFFFFFFFL) * (d & 0xFFFFFFFFL);
            x = Long.rotateRight(x ^ c, 63);
            v[b + 3] = a;
            v[b + 7] = x;
            v[b + 11] = c;
            v[b + 15] = d;
        }
        { // GB(v0, v5, v10, v15)
            long a = v[b], x = v[b + 5], c = v[b + 10], d = v[b + 15];
            a += x + 2 * (a & 0xFFFFFFFFL) * (x & 0xFFFFFFFFL);
            d = Long.rotateRight(d ^ a, 32);
            c += d + 2 * (c & 0xFFFFFFFFL) * (d & 0xFFFFFFFFL);
            x = Long.rotateRight(x ^ c, 24);
            a += x + 2 * (a & 0xFFFFFFFFL) * (x & 0xFFFFFFFFL);
            d = Long.rotateRight(d ^ a, 16);
            c += d + 2 * (c & 0xFFFFFFFFL) * (d & 0xFFFFFFFFL);
            x = Long.rotateRight(x ^ c, 63);
            v[b] = a;
            v[b + 5] = x;
            v[b + 10] = c;
            v[b + 15] = d;
        }
        { // GB(v1, v6, v11, v12)
            long a = v[b + 1], x = v[b + 6], c = v[b + 11], d = v[b + 12];
            a += x + 2 * (a & 0xFFFFFFFFL) * (x & 0xFFFFFFFFL);
            d = Long.rotateRight(d ^ a, 32);
            c += d + 2 * (c & 0xFFFFFFFFL) * (d & 0xFFFFFFFFL);
            x = Long.rotateRight(x ^ c, 24);
            a += x + 2 * (a & 0xFFFFFFFFL) * (x & 0xFFFFFFFFL);
            d = Long.rotateRight(d ^ a, 16);
            c += d + 2 * (c & 0xFFFFFFFFL) * (d & 0xFFFFFFFFL);
            x = Long.rotateRight(x ^ c, 63);
            v[b + 1] = a;
            v[b + 6] = x;
            v[b + 11] = c;
            v[b + 12] = d;
        }
        { // GB(v2, v7, v8, v13)
            long a = v[b + 2], x = v[b + 7], c = v[b + 8], d = v[b + 13];
            a += x + 2 * (a & 0xFFFFFFFFL) * (x & 0xFFFFFFFFL);
            d = Long.rotateRight(d ^ a, 32);
            c += d + 2 * (c & 0xFFFFFFFFL) * (d & 0xFFFFFFFFL);
            x = Long.rotateRight(x ^ c, 24);
            a += x + 2 * (a & 0xFFFFFFFFL) * (x & 0xFFFFFFFFL);
            d = Long.rotateRight(d ^ a, 16);
            c += d + 2 * (c & 0xFFFFFFFFL) * (d & 0xFFFFFFFFL);
            x = Long.rotateRight(x ^ c, 63);
            v[b + 2] = a;
            v[b + 7] = x;
            v[b + 8] = c;
            v[b + 13] = d;
        }
        { // GB(v3, v4, v9, v14)
            long a = v[b + 3], x = v[b + 4], c = v[b + 9], d = v[b + 14];
            a += x + 2 * (a & 0xFFFFFFFFL) * (x & 0xFFFFFFFFL);
            d = Long.rotateRight(d ^ a, 32);
            c += d + 2 * (c & 0xFFFFFFFFL) * (d & 0xFFFFFFFFL);
            x = Long.rotateRight(x ^ c, 24);
            a += x + 2 * (a & 0xFFFFFFFFL) * (x & 0xFFFFFFFFL);
            d = Long.rotateRight(d ^ a, 16);
            c += d + 2 * (c & 0xFFFFFFFFL) * (d & 0xFFFFFFFFL);
            x = Long.rotateRight(x ^ c, 63);
            v[b + 3] = a;
            v[b + 4] = x;
            v[b + 9] = c;
            v[b + 14] = d;
        }
    }

    /** P over one column: register k is the pair of longs at {@code b + 16k}. Same body as {@link #permuteRow}. */
    private static void permuteColumn(long[] v, int b) {
        { // GB(v0, v4, v8, v12)
            long a = v[b], x = v[b + 32], c = v[b + 64], d = v[b + 96];
            a += x + 2 * (a & 0xFFFFFFFFL) * (x & 0xFFFFFFFFL);
            d = Long.rotateRight(d ^ a, 32);
            c += d + 2 * (c & 0xFFFFFFFFL) * (d & 0xFFFFFFFFL);
            x = Long.rotateRight(x ^ c, 24);
            a += x + 2 * (a & 0xFFFFFFFFL) * (x & 0xFFFFFFFFL);
            d = Long.rotateRight(d ^ a, 16);
            c += d + 2 * (c & 0xFFFFFFFFL) * (d & 0xFFFFFFFFL);
            x = Long.rotateRight(x ^ c, 63);
            v[b] = a;
            v[b + 32] = x;
            v[b + 64] = c;
            v[b + 96] = d;
        }
        { // GB(v1, v5, v9, v13)
            long a = v[b + 1], x = v[b + 33], c = v[b + 65], d = v[b + 97];
            a += x + 2 * (a & 0xFFFFFFFFL) * (x & 0xFFFFFFFFL);
            d = Long.rotateRight(d ^ a, 32);
            c += d + 2 * (c & 0xFFFFFFFFL) * (d & 0xFFFFFFFFL);
            x = Long.rotateRight(x ^ c, 24);
            a += x + 2 * (a & 0xFFFFFFFFL) * (x & 0xFFFFFFFFL);
            d = Long.rotateRight(d ^ a, 16);
            c += d + 2 * (c & 0xFFFFFFFFL) * (d & 0xFFFFFFFFL);
            x = Long.rotateRight(x ^ c, 63);
            v[b + 1] = a;
            v[b + 33] = x;
            v[b + 65] = c;
            v[b + 97] = d;
        }
        { // GB(v2, v6, v10, v14)
            long a = v[b + 16], x = v[b + 48], c = v[b + 80], d = v[b + 112];
            a += x + 2 * (a & 0xFFFFFFFFL) * (x & 0xFFFFFFFFL);
            d = Long.rotateRight(d ^ a, 32);
            c += d + 2 * (c & 0xFFFFFFFFL) * (d & 0xFFFFFFFFL);
            x = Long.rotateRight(x ^ c, 24);
            a += x + 2 * (a & 0xFFFFFFFFL) * (x & 0xFFFFFFFFL);
            d = Long.rotateRight(d ^ a, 16);
            c += d + 2 * (c & 0xFFFFFFFFL) * (d & 0xFFFFFFFFL);
            x = Long.rotateRight(x ^ c, 63);
            v[b + 16] = a;
            v[b + 48] = x;
            v[b + 80] = c;
            v[b + 112] = d;
        }
        { // GB(v3, v7, v11, v15)
            long a = v[b + 17], x = v[b + 49], c = v[b + 81], d = v[b + 113];
            a += x + 2 * (a & 0xFFFFFFFFL) * (x & 0xFFFFFFFFL);
            d = Long.rotateRight(d ^ a, 32);
            c += d + 2 * (c & 0xFFFFFFFFL) * (d & 0xFFFFFFFFL);
            x = Long.rotateRight(x ^ c, 24);
            a += x + 2 * (a & 0xFFFFFFFFL) * (x & 0xFFFFFFFFL);
            d = Long.rotateRight(d ^ a, 16);
            c += d + 2 * (c & 0xFFFFFFFFL) * (d & 0xFFFFFFFFL);
            x = Long.rotateRight(x ^ c, 63);
            v[b + 17] = a;
            v[b + 49] = x;
            v[b + 81] = c;
            v[b + 113] = d;
        }
        { // GB(v0, v5, v10, v15)
            long a = v[b], x = v[b + 33], c = v[b + 80], d = v[b + 113];
            a += x + 2 * (a & 0xFFFFFFFFL) * (x & 0xFFFFFFFFL);
            d = Long.rotateRight(d ^ a, 32);
            c += d + 2 * (c & 0xFFFFFFFFL) * (d & 0xFFFFFFFFL);
            x = Long.rotateRight(x ^ c, 24);
            a += x + 2 * (a & 0xFFFFFFFFL) * (x & 0xFFFFFFFFL);
            d = Long.rotateRight(d ^ a, 16);
            c += d + 2 * (c & 0xFFFFFFFFL) * (d & 0xFFFFFFFFL);
            x = Long.rotateRight(x ^ c, 63);
            v[b] = a;
            v[b + 33] = x;
            v[b + 80] = c;
            v[b + 113] = d;
        }
        { // GB(v1, v6, v11, v12)
            long a = v[b + 1], x = v[b + 48], c = v[b + 81], d = v[b + 96];
            a += x + 2 * (a & 0xFFFFFFFFL) * (x & 0xFFFFFFFFL);
            d = Long.rotateRight(d ^ a, 32);
            c += d + 2 * (c & 0xFFFFFFFFL) * (d & 0xFFFFFFFFL);
            x = Long.rotateRight(x ^ c, 24);
            a += x + 2 * (a & 0xFFFFFFFFL) * (x & 0xFFFFFFFFL);
            d = Long.rotateRight(d ^ a, 16);
            c += d + 2 * (c & 0xFFFFFFFFL) * (d & 0xFFFFFFFFL);
            x = Long.rotateRight(x ^ c, 63);
            v[b + 1] = a;
            v[b + 48] = x;
            v[b + 81] = c;
            v[b + 96] = d;
        }
        { // GB(v2, v7, v8, v13)
            long a = v[b + 16], x = v[b + 49], c = v[b + 64], d = v[b + 97];
            a += x + 2 * (a & 0xFFFFFFFFL) * (x & 0xFFFFFFFFL);
            d = Long.rotateRight(d ^ a, 32);
            c += d + 2 * (c & 0xFFFFFFFFL) * (d & 0xFFFFFFFFL);
            x = Long.rotateRight(x ^ c, 24);
            a += x + 2 * (a & 0xFFFFFFFFL) * (x & 0xFFFFFFFFL);
            d = Long.rotateRight(d ^ a, 16);
            c += d + 2 * (c & 0xFFFFFFFFL) * (d & 0xFFFFFFFFL);
            x = Long.rotateRight(x ^ c, 63);
            v[b + 16] = a;
            v[b + 49] = x;
            v[b + 64] = c;
            v[b + 97] = d;
        }
        { // GB(v3, v4, v9, v14)
            long a = v[b + 17], x = v[b + 32], c = v[b + 65], d = v[b + 112];
            a += x + 2 * (a & 0xFFFFFFFFL) * (x & 0xFFFFFFFFL);
            d = Long.rotateRight(d ^ a, 32);
            c += d + 2 * (c & 0xFFFFFFFFL) * (d & 0xFFFFFFFFL);
            x = Long.rotateRight(x ^ c, 24);
            a += x + 2 * (a & 0xFFFFFFFFL) * (x & 0xFFFFFFFFL);
            d = Long.rotateRight(d ^ a, 16);
            c += d + 2 * (c & 0xFFFFFFFFL) * (d & 0xFFFFFFFFL);
            x = Long.rotateRight(x ^ c, 63);
            v[b + 17] = a;
            v[b + 32] = x;
            v[b + 65] = c;
            v[b + 112] = d;
        }
    }
}
