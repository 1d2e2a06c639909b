package dev.gatehouse.credits;

import java.util.Arrays;

/**
 * A ledger account. Every organization has each of them: its own ({@link #AVAILABLE}, {@link #HELD}) and its share
 * of the platform's (the others), so no account row is shared by every organization's transactions. An account's
 * balance is the sum of its entries; the organization's own are positive, the platform's contra accounts go
 * negative as they hand credits out ({@link #ISSUED}, {@link #REFUNDS}, {@link #ADJUSTMENTS}) and positive as they
 * take them in ({@link #REVENUE}, {@link #EXPIRED}).
 */
enum Account {
    /** What the organization may spend, split into blocks. */
    AVAILABLE("available", true),
    /** What reservations hold until they are settled or released, by the blocks they took it from. */
    HELD("held", true),
    /** The source of granted credits (plan, purchase, promo). */
    ISSUED("issued", false),
    /** Credits spent: settled and debited usage. */
    REVENUE("revenue", false),
    /** Credits that expired unspent. */
    EXPIRED("expired", false),
    /** Credits given back: refunds of disputed or failed usage. */
    REFUNDS("refunds", false),
    /** Credits an admin added or removed by hand, with a reason. */
    ADJUSTMENTS("adjustments", false);

    private final String wire;
    private final boolean organizations;

    Account(String wire, boolean organizations) {
        this.wire = wire;
        this.organizations = organizations;
    }

    /** The name in the database and the API. */
    String wire() {
        return wire;
    }

    /** Whether it is the organization's own account (its entries name a block), not the platform's side. */
    boolean blocked() {
        return organizations;
    }

    static Account of(String wire) {
        return Arrays.stream(values())
                .filter(a -> a.wire.equals(wire))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown account " + wire));
    }
}
