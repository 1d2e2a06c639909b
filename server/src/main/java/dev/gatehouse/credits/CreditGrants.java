package dev.gatehouse.credits;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Service;

/**
 * What other modules may do to an organization's credits: billing grants purchased credits and claws them back on
 * a refund. Both are idempotent on the caller's reference (a payment, a refund), so a redelivered event changes
 * nothing the first delivery applied.
 */
@Service
public class CreditGrants {

    /** The priority of purchased credits: after the plan's monthly grant (100), so prepaid credits last longer. */
    public static final int PURCHASE_PRIORITY = 500;

    private final Grants grants;
    private final Clock clock;

    CreditGrants(Grants grants, Clock clock) {
        this.grants = grants;
        this.clock = clock;
    }

    /**
     * Grants purchased credits as a block that never expires (unless {@code expiresAt} says otherwise).
     *
     * @param amount the PT bought, up to six decimal places
     * @param externalRef the payment's id: a second call with it grants nothing more
     * @return the grant's transaction id (the first one's on a repeat)
     */
    public UUID grantPurchase(UUID org, BigDecimal amount, String externalRef, @Nullable Instant expiresAt) {
        long micros = positive(amount);
        return grants.grant(
                        new Grants.Grant(
                                org,
                                BlockSource.PURCHASE,
                                micros,
                                PURCHASE_PRIORITY,
                                expiresAt,
                                "purchase:" + externalRef,
                                null,
                                null,
                                null,
                                null),
                        clock.instant())
                .transaction();
    }

    /** {@link #grantPurchase(UUID, BigDecimal, String, Instant)} for credits that never expire. */
    public UUID grantPurchase(UUID org, BigDecimal amount, String externalRef) {
        return grantPurchase(org, amount, externalRef, null);
    }

    /**
     * Takes back up to {@code amount} PT of an organization's credits (a refunded purchase) in a compensating
     * transaction; never below zero: what was already spent stays spent.
     *
     * @param externalRef the refund's id: a second call with it takes nothing more
     * @return the PT taken back (the first call's amount on a repeat)
     */
    public BigDecimal clawBack(UUID org, BigDecimal amount, String externalRef, String reason) {
        long micros = positive(amount);
        return Micros.pt(grants.clawBack(org, micros, "clawback:" + externalRef, reason, clock.instant()));
    }

    private static long positive(BigDecimal amount) {
        long micros;
        try {
            micros = Micros.of(amount);
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("credit amounts have at most six decimal places", e);
        }
        if (micros <= 0) throw new IllegalArgumentException("credit amounts are positive");
        return micros;
    }
}
