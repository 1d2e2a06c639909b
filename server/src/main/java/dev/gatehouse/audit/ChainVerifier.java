package dev.gatehouse.audit;

import io.swagger.v3.oas.annotations.media.Schema;
import java.security.MessageDigest;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Isolation;
import org.springframework.transaction.annotation.Transactional;

/**
 * Walks the whole chain in seq order and recomputes every hash, in batches so memory stays constant
 * however long the chain is. It stops at the first broken link.
 */
@Service
class ChainVerifier {

    static final int BATCH = 1000;

    /** Why a link is broken. */
    enum Reason {
        /** Rows before this one are missing (deleted), or the seq was altered. */
        SEQ_GAP,
        /** The row does not point at the hash of the row before it (inserted, reordered, or re-linked). */
        PREV_HASH_MISMATCH,
        /** The row's content no longer hashes to its stored hash (altered). */
        HASH_MISMATCH,
        /**
         * The chain's end is not the head the writer recorded: rows were cut off the end, added after it
         * outside Gatehouse, or the last row was rewritten with a recomputed hash.
         */
        HEAD_MISMATCH;

        String wire() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    record Broken(long seq, String reason) {}

    /**
     * The outcome: {@code checked} counts the rows examined, the broken one included; {@code headHash} (hex)
     * is given for a valid chain, {@code firstBroken} for a broken one.
     */
    @Schema(name = "ChainVerification") // apikey has a Verification of its own
    record Verification(
            boolean valid,
            long checked,
            @Nullable String headHash,
            @Nullable Broken firstBroken) {

        static Verification valid(long checked, byte[] headHash) {
            return new Verification(true, checked, AuditEvent.HEX.formatHex(headHash), null);
        }

        static Verification broken(long checked, long seq, Reason reason) {
            return new Verification(false, checked, null, new Broken(seq, reason.wire()));
        }
    }

    private final AuditEvents events;

    ChainVerifier(AuditEvents events) {
        this.events = events;
    }

    /**
     * One REPEATABLE READ snapshot for the head and every batch: rows appended while the walk runs are not
     * seen, and neither is the head they move, so the end of the walk and the head always agree unless the
     * chain is broken.
     */
    @Transactional(readOnly = true, isolation = Isolation.REPEATABLE_READ)
    Verification verify() {
        AuditEvents.Head head = events.head();
        long expected = 1;
        byte[] prev = AuditEvent.GENESIS;
        long checked = 0;
        while (true) {
            List<AuditEvent> batch = events.chainAfter(expected - 1, BATCH);
            for (AuditEvent row : batch) {
                checked++;
                if (row.seq() != expected) return Verification.broken(checked, row.seq(), Reason.SEQ_GAP);
                if (!MessageDigest.isEqual(row.prevHash(), prev)) {
                    return Verification.broken(checked, row.seq(), Reason.PREV_HASH_MISMATCH);
                }
                if (!MessageDigest.isEqual(row.computeHash(), row.hash())) {
                    return Verification.broken(checked, row.seq(), Reason.HASH_MISMATCH);
                }
                prev = row.hash();
                expected++;
            }
            if (batch.size() < BATCH) break;
        }
        long last = expected - 1;
        if (last != head.seq()) {
            // Rows cut off the end (the head is further) or added after it (the head is behind).
            return Verification.broken(checked, Math.min(last, head.seq()) + 1, Reason.HEAD_MISMATCH);
        }
        if (!MessageDigest.isEqual(prev, head.hash())) {
            return Verification.broken(checked, last, Reason.HEAD_MISMATCH);
        }
        return Verification.valid(checked, prev);
    }
}
