package dev.gatehouse.credits;

import java.util.Arrays;

/** Where a block of credits came from: the database's check lists the same names. */
enum BlockSource {
    /** The plan's included monthly credits, once per subscription period. */
    PLAN("plan"),
    /** Bought (billing grants it through {@link CreditGrants}). */
    PURCHASE("purchase"),
    PROMO("promo"),
    /** Credits given back as a new block (a dispute's refund). */
    REFUND("refund"),
    /** Added by an admin with a reason. */
    ADJUSTMENT("adjustment"),
    /** What an expired plan block carried into the next period, as the plan's rollover rule allows. */
    ROLLOVER("rollover"),
    /** The one block of an organization whose plan allows overdraft, which may go below zero. */
    OVERDRAFT("overdraft");

    private final String wire;

    BlockSource(String wire) {
        this.wire = wire;
    }

    String wire() {
        return wire;
    }

    static BlockSource of(String wire) {
        return Arrays.stream(values())
                .filter(s -> s.wire.equals(wire))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown block source " + wire));
    }
}
