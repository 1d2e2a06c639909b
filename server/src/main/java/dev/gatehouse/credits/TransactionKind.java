package dev.gatehouse.credits;

import java.util.Arrays;

/** Why a ledger transaction was posted: the database's check lists the same names. */
enum TransactionKind {
    GRANT("grant"),
    RESERVE("reserve"),
    SETTLE("settle"),
    RELEASE("release"),
    HOLD_EXPIRY("hold_expiry"),
    DEBIT("debit"),
    EXPIRY("expiry"),
    ROLLOVER("rollover"),
    REFUND("refund"),
    CLAWBACK("clawback"),
    ADJUSTMENT("adjustment"),
    OVERDRAFT_REPAYMENT("overdraft_repayment"),
    /** A later correction of a closed period, posted in the open one (monthly close). */
    CORRECTION("correction");

    private final String wire;

    TransactionKind(String wire) {
        this.wire = wire;
    }

    String wire() {
        return wire;
    }

    static TransactionKind of(String wire) {
        return Arrays.stream(values())
                .filter(k -> k.wire.equals(wire))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown transaction kind " + wire));
    }
}
