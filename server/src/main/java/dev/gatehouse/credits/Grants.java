package dev.gatehouse.credits;

import static dev.gatehouse.platform.Timestamps.utc;

import dev.gatehouse.credits.Ledger.Block;
import dev.gatehouse.credits.Ledger.Posting;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * Grants, adjustments and expiry: how blocks come and go. A grant opens a block and credits it from the account
 * its source draws on (issued, refunds, adjustments); what the organization overdrew is repaid from it first. The
 * expiry moves what is left of a block past its expiry to {@code expired}, after carrying what the plan's rollover
 * rule allows of a monthly grant into a new block for one more month.
 */
@Component
class Grants {

    private final Ledger ledger;
    private final Spending spending;
    private final LowBalance warnings;
    private final JdbcClient db;

    Grants(Ledger ledger, Spending spending, LowBalance warnings, JdbcClient db) {
        this.ledger = ledger;
        this.spending = spending;
        this.warnings = warnings;
        this.db = db;
    }

    /**
     * A grant to make.
     *
     * @param externalRef makes the grant idempotent: a second grant with the same reference is the first one
     * @param plan the plan whose monthly grant it is (plan and rollover blocks only)
     */
    record Grant(
            UUID org,
            BlockSource source,
            long amount,
            int priority,
            @Nullable Instant expiresAt,
            @Nullable String externalRef,
            @Nullable String plan,
            @Nullable UUID actor,
            @Nullable String reason,
            @Nullable String requestId) {

        Grant {
            if (amount <= 0) throw new IllegalArgumentException("a grant is positive");
        }
    }

    /** The outcome: the block and its transaction, and whether an earlier grant had the same reference. */
    record Granted(UUID block, UUID transaction, boolean existed) {}

    @Transactional
    Granted grant(Grant g, Instant now) {
        ledger.lock(g.org());
        if (g.externalRef() != null) {
            UUID existing = ledger.findByExternalRef(g.org(), TransactionKind.GRANT, g.externalRef());
            if (existing != null) return new Granted(blockOf(existing), existing, true);
        }
        UUID block = ledger.openBlock(g.org(), g.source(), g.plan(), g.priority(), g.amount(), g.expiresAt(), now);
        Account from = switch (g.source()) {
            case REFUND -> Account.REFUNDS;
            case ADJUSTMENT -> Account.ADJUSTMENTS;
            default -> Account.ISSUED;
        };
        UUID tx = ledger.post(Posting.of(
                        g.org(),
                        TransactionKind.GRANT,
                        new Legs()
                                .add(from, -g.amount())
                                .add(Account.AVAILABLE, block, g.amount())
                                .list(),
                        now)
                .externalRef(g.externalRef())
                .by(g.actor(), g.reason(), g.requestId())
                .details(Map.of("source", g.source().wire())));
        ledger.grantedBy(block, tx);
        repayOverdraft(g.org(), block, g.amount(), now);
        return new Granted(block, tx, false);
    }

    /** Moves what the organization overdrew from the new block into the overdraft block. */
    void repayOverdraft(UUID org, UUID block, long amount, Instant now) {
        Block overdraft = ledger.overdraft(org);
        if (overdraft == null || overdraft.remaining() >= 0) return;
        long repay = Math.min(amount, -overdraft.remaining());
        ledger.post(Posting.of(
                        org,
                        TransactionKind.OVERDRAFT_REPAYMENT,
                        new Legs()
                                .add(Account.AVAILABLE, block, -repay)
                                .add(Account.AVAILABLE, overdraft.id(), repay)
                                .list(),
                        now)
                .details(Map.of("repaid", Micros.pt(repay))));
    }

    private UUID blockOf(UUID grantTx) {
        return db.sql("select id from credit_blocks where grant_tx = :tx")
                .param("tx", grantTx)
                .query(UUID.class)
                .single();
    }

    /**
     * Takes credits away by hand (a negative adjustment): from the blocks in spending order, never below zero
     * (an adjustment does not overdraw). Throws 402 when the balance does not cover it.
     */
    @Transactional
    UUID debitAdjustment(UUID org, long amount, UUID actor, String reason, @Nullable String requestId, Instant now) {
        long before = ledger.lock(org);
        Spending.Position position = spending.position(org, now);
        if (!position.covers(amount, 0)) throw CreditFailures.insufficient(position.available(), 0, amount, null);
        Legs legs = new Legs().add(Account.ADJUSTMENTS, amount);
        for (var part : spending.take(org, position, amount, now)) {
            legs.add(Account.AVAILABLE, part.getKey(), -part.getValue());
        }
        UUID tx = ledger.post(
                Posting.of(org, TransactionKind.ADJUSTMENT, legs.list(), now).by(actor, reason, requestId));
        warnings.check(org, before, before - amount, now);
        return tx;
    }

    /**
     * Claws back credits for a refunded purchase: a compensating transaction, idempotent on the reference, that
     * takes what it can (never below zero) from the blocks in spending order back to {@code issued}. Returns what
     * it took (the earlier amount on a repeat).
     */
    @Transactional
    long clawBack(UUID org, long amount, String externalRef, @Nullable String reason, Instant now) {
        long before = ledger.lock(org);
        UUID existing = ledger.findByExternalRef(org, TransactionKind.CLAWBACK, externalRef);
        if (existing != null) {
            return db.sql("select amount from credit_entries where transaction_id = :tx and account = 'issued'")
                    .param("tx", existing)
                    .query(Long.class)
                    .single();
        }
        Spending.Position position = spending.position(org, now);
        long take = Math.max(0, Math.min(amount, position.spendable()));
        if (take == 0) return 0;
        Legs legs = new Legs().add(Account.ISSUED, take);
        for (var part : Ledger.take(position.blocks(), take)) {
            legs.add(Account.AVAILABLE, part.getKey(), -part.getValue());
        }
        ledger.post(Posting.of(org, TransactionKind.CLAWBACK, legs.list(), now)
                .externalRef(externalRef)
                .by(null, reason, null)
                .details(Map.of("requested", Micros.pt(amount))));
        warnings.check(org, before, before - take, now);
        return take;
    }

    /** Blocks past their expiry with something left, oldest expiry first, up to {@code limit}. */
    List<UUID> dueOrganizations(Instant now, int limit) {
        return db.sql("""
                        select distinct org_id from (
                            select org_id from credit_blocks
                            where remaining > 0 and source <> 'overdraft' and expires_at <= :now
                            order by expires_at limit :limit) d
                        """)
                .param("now", utc(now))
                .param("limit", limit)
                .query(UUID.class)
                .list();
    }

    /**
     * Expires what is left of the organization's blocks past their expiry; returns how many blocks. A plan block
     * expiring for the first time carries up to the plan's rollover allowance into a rollover block that expires
     * a month later; the rest goes to {@code expired}.
     */
    @Transactional
    int expire(UUID org, java.util.function.Function<String, Long> rolloverOf, Instant now) {
        ledger.lock(org);
        List<Block> due = db.sql("""
                        select * from credit_blocks
                        where org_id = :org and remaining > 0 and source <> 'overdraft' and expires_at <= :now
                        order by expires_at, created_at
                        """)
                .param("org", org)
                .param("now", utc(now))
                .query((rs, i) -> Ledger.block(rs))
                .list();
        for (Block b : due) {
            boolean firstExpiry =
                    db.sql("""
                            update credit_blocks set expired_at = :now where id = :id and expired_at is null
                            """).param("now", utc(now)).param("id", b.id()).update() == 1;
            long left = b.remaining();
            if (firstExpiry && b.source() == BlockSource.PLAN && b.plan() != null && b.expiresAt() != null) {
                long carry = Math.min(left, rolloverOf.apply(b.plan()));
                if (carry > 0) {
                    Instant until =
                            b.expiresAt().atZone(ZoneOffset.UTC).plusMonths(1).toInstant();
                    UUID rolled =
                            ledger.openBlock(org, BlockSource.ROLLOVER, b.plan(), b.priority(), carry, until, now);
                    UUID tx = ledger.post(Posting.of(
                                    org,
                                    TransactionKind.ROLLOVER,
                                    new Legs()
                                            .add(Account.AVAILABLE, b.id(), -carry)
                                            .add(Account.AVAILABLE, rolled, carry)
                                            .list(),
                                    now)
                            .reference(b.id()));
                    ledger.grantedBy(rolled, tx);
                    left -= carry;
                }
            }
            if (left > 0) {
                ledger.post(Posting.of(
                                org,
                                TransactionKind.EXPIRY,
                                new Legs()
                                        .add(Account.AVAILABLE, b.id(), -left)
                                        .add(Account.EXPIRED, left)
                                        .list(),
                                now)
                        .reference(b.id()));
            }
        }
        return due.size();
    }
}
