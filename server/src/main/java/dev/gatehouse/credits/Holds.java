package dev.gatehouse.credits;

import static dev.gatehouse.platform.Timestamps.instant;
import static dev.gatehouse.platform.Timestamps.utc;

import dev.gatehouse.credits.Ledger.Posting;
import dev.gatehouse.platform.ApiException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * Reservations (holds), their settlement and release, and direct debits. Each runs under the organization's lock
 * ({@link Ledger#lock}), so a reservation's check and its hold are one step and a settle, a release and the
 * hold-expiry job can never both close the same reservation: whichever comes second finds it no longer held.
 *
 * <p>A hold moves the amount from available to held block by block, in spending order, and keeps the blocks in
 * its entries. A settle debits the actual amount from those held parts in the same order and returns the rest to
 * the blocks it came from; an actual amount above the hold is taken from available like a debit, and refused (402)
 * when that would overdraw more than the plan allows.
 *
 * <p>Each works on the transaction's {@link LedgerBatch}: the batched credit calls open one for all their
 * organizations, anyone else (the hold-expiry job) gets one for the organization alone. Reads, postings and the
 * reservation rows go through it, and reach the database when it is flushed, before the commit at the latest.
 */
@Component
class Holds {

    private final Ledger ledger;
    private final Spending spending;
    private final LowBalance warnings;
    private final JdbcClient db;

    Holds(Ledger ledger, Spending spending, LowBalance warnings, JdbcClient db) {
        this.ledger = ledger;
        this.spending = spending;
        this.warnings = warnings;
        this.db = db;
    }

    /** A reservation as stored. */
    record Reservation(
            UUID id,
            UUID org,
            long amount,
            String state,
            Instant expiresAt,
            Instant createdAt,
            @Nullable Instant closedAt,
            @Nullable Long settledAmount,
            UUID reserveTx) {}

    /** The outcome of a change: the reservation (or debit transaction) and the available balance after it. */
    record Outcome(
            @Nullable Reservation reservation, @Nullable UUID transaction, long available) {}

    /**
     * Holds the amount until {@code expiresAt}; 402 when the balance (with the plan's overdraft) does not cover
     * it. Must run in a transaction; works in its {@link LedgerBatch}, under the organization's lock.
     */
    @Transactional(propagation = Propagation.MANDATORY, noRollbackFor = ApiException.class)
    Outcome reserve(UUID org, long amount, long overdraftLimit, Instant expiresAt, Context ctx, Instant now) {
        LedgerBatch batch = ledger.batch(org);
        long before = batch.balance(org, Account.AVAILABLE);
        Spending.Position position = spending.position(org, now);
        if (!position.covers(amount, overdraftLimit)) {
            throw CreditFailures.insufficient(position.available(), overdraftLimit, amount, ctx.topUpUrl());
        }
        List<Map.Entry<UUID, Long>> parts = spending.take(org, position, amount, now);
        Legs legs = new Legs();
        for (var part : parts) {
            legs.add(Account.AVAILABLE, part.getKey(), -part.getValue());
            legs.add(Account.HELD, part.getKey(), part.getValue());
        }
        UUID id = UUID.randomUUID();
        UUID tx = batch.post(Posting.of(org, TransactionKind.RESERVE, legs.list(), now)
                .reference(id)
                .by(ctx.actor(), null, ctx.requestId())
                .details(ctx.details()));
        Reservation held = batch.hold(id, org, amount, expiresAt, tx, parts, now);
        long after = before - amount;
        warnings.check(org, before, after, now);
        return new Outcome(held, tx, after);
    }

    /**
     * Settles a held reservation with the actual amount. Must run in a transaction; works in its
     * {@link LedgerBatch}, under the organization's lock.
     */
    @Transactional(propagation = Propagation.MANDATORY, noRollbackFor = ApiException.class)
    Outcome settle(Reservation r, long actual, long overdraftLimit, Context ctx, Instant now) {
        LedgerBatch batch = ledger.batch(r.org());
        requireHeld(batch, r);
        long before = batch.balance(r.org(), Account.AVAILABLE);
        Legs legs = new Legs();
        long left = actual;
        for (var part : batch.heldParts(r)) {
            long consumed = Math.min(left, part.getValue());
            left -= consumed;
            legs.add(Account.HELD, part.getKey(), -part.getValue());
            legs.add(Account.AVAILABLE, part.getKey(), part.getValue() - consumed);
        }
        if (left > 0) {
            // More than the hold (every held part is consumed): the rest is taken like a debit.
            Spending.Position position = spending.position(r.org(), now);
            if (!position.covers(left, overdraftLimit)) {
                throw CreditFailures.insufficient(position.available(), overdraftLimit, left, ctx.topUpUrl());
            }
            for (var part : spending.take(r.org(), position, left, now)) {
                legs.add(Account.AVAILABLE, part.getKey(), -part.getValue());
            }
        }
        legs.add(Account.REVENUE, actual);
        UUID tx = batch.post(Posting.of(r.org(), TransactionKind.SETTLE, legs.list(), now)
                .reference(r.id())
                .by(ctx.actor(), null, ctx.requestId())
                .details(ctx.details()));
        Reservation settled = batch.close(r, "settled", tx, actual, now);
        long after = before + legs.net(Account.AVAILABLE);
        warnings.check(r.org(), before, after, now);
        return new Outcome(settled, tx, after);
    }

    /**
     * Releases a held reservation (by request, or as {@code expired} by the hold-expiry job). Must run in a
     * transaction; works in its {@link LedgerBatch}, under the organization's lock.
     */
    @Transactional(propagation = Propagation.MANDATORY, noRollbackFor = ApiException.class)
    Outcome release(Reservation r, boolean expired, Context ctx, Instant now) {
        LedgerBatch batch = ledger.batch(r.org());
        requireHeld(batch, r);
        long before = batch.balance(r.org(), Account.AVAILABLE);
        Legs legs = new Legs();
        for (var part : batch.heldParts(r)) {
            legs.add(Account.HELD, part.getKey(), -part.getValue());
            legs.add(Account.AVAILABLE, part.getKey(), part.getValue());
        }
        UUID tx = batch.post(
                Posting.of(r.org(), expired ? TransactionKind.HOLD_EXPIRY : TransactionKind.RELEASE, legs.list(), now)
                        .reference(r.id())
                        .by(ctx.actor(), null, ctx.requestId()));
        Reservation closed = batch.close(r, expired ? "expired" : "released", tx, null, now);
        return new Outcome(closed, tx, before + r.amount());
    }

    /** Debits the amount at once; 402 when the balance (with the plan's overdraft) does not cover it. */
    @Transactional(propagation = Propagation.MANDATORY, noRollbackFor = ApiException.class)
    Outcome debit(UUID org, long amount, long overdraftLimit, Context ctx, Instant now) {
        LedgerBatch batch = ledger.batch(org);
        long before = batch.balance(org, Account.AVAILABLE);
        Spending.Position position = spending.position(org, now);
        if (!position.covers(amount, overdraftLimit)) {
            throw CreditFailures.insufficient(position.available(), overdraftLimit, amount, ctx.topUpUrl());
        }
        Legs legs = new Legs().add(Account.REVENUE, amount);
        for (var part : spending.take(org, position, amount, now)) {
            legs.add(Account.AVAILABLE, part.getKey(), -part.getValue());
        }
        UUID tx = batch.post(Posting.of(org, TransactionKind.DEBIT, legs.list(), now)
                .by(ctx.actor(), null, ctx.requestId())
                .details(ctx.details()));
        long after = before - amount;
        warnings.check(org, before, after, now);
        return new Outcome(null, tx, after);
    }

    /** Who asked and why: the usage behind it, the caller, the request, where to top up. */
    record Context(
            @Nullable UUID actor,
            @Nullable String requestId,
            @Nullable Map<String, ?> details,
            @Nullable String topUpUrl) {

        static Context none() {
            return new Context(null, null, null, null);
        }
    }

    /** 409 unless the reservation is held as the batch sees it (the caller's copy may be older than the batch's). */
    private static void requireHeld(LedgerBatch batch, Reservation r) {
        String state = Objects.requireNonNull(batch.reservation(r.id())).state();
        if (!state.equals("held")) throw CreditFailures.notHeld(state);
    }

    /** The reservation as the transaction sees it (its batch's, if it has one). */
    @Nullable
    Reservation find(UUID id) {
        LedgerBatch batch = ledger.current();
        if (batch != null) return batch.reservation(id);
        return db.sql("select * from credit_reservations where id = :id")
                .param("id", id)
                .query(Holds::reservation)
                .optional()
                .orElse(null);
    }

    static Reservation reservation(ResultSet rs, int row) throws SQLException {
        return new Reservation(
                rs.getObject("id", UUID.class),
                rs.getObject("org_id", UUID.class),
                rs.getLong("amount"),
                rs.getString("state"),
                instant(rs, "expires_at"),
                instant(rs, "created_at"),
                dev.gatehouse.platform.Timestamps.nullableInstant(rs, "closed_at"),
                (Long) rs.getObject("settled_amount", Long.class),
                rs.getObject("reserve_tx", UUID.class));
    }

    /** Held reservations past their TTL, oldest first. */
    List<UUID> due(Instant now, int limit) {
        return db.sql("""
                        select id from credit_reservations where state = 'held' and expires_at <= :now
                        order by expires_at limit :limit
                        """)
                .param("now", utc(now))
                .param("limit", limit)
                .query(UUID.class)
                .list();
    }
}
