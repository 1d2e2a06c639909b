package dev.gatehouse.credits;

import static dev.gatehouse.platform.Timestamps.instant;
import static dev.gatehouse.platform.Timestamps.nullableInstant;
import static dev.gatehouse.platform.Timestamps.utc;

import dev.gatehouse.audit.AuditEntry;
import dev.gatehouse.audit.AuditLog;
import dev.gatehouse.credits.Ledger.Posting;
import dev.gatehouse.platform.Caller;
import dev.gatehouse.platform.Keyset;
import dev.gatehouse.platform.Page;
import dev.gatehouse.platform.PageCursor;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Disputes: a member disputes a charge (a transaction that took credits from the organization), an admin refunds
 * it with a compensating {@code refund} transaction from the refunds account, or rejects it with a note.
 *
 * <p>Opening and resolving run under the organization's ledger lock ({@link Ledger#lock}), so the amount left to
 * refund and the dispute's state are read and changed one step at a time. The database backs both rules on its
 * own: one open dispute per transaction (a partial unique index) and one refund per dispute (the refund's
 * external reference is unique), so concurrent resolves have one effect whatever path they take. A resolved
 * dispute is final (a trigger refuses changes); resolving it again with the same decision answers the first
 * resolution, which makes a retried resolve safe.
 */
@Component
class Disputes {

    /** Refunded credits are spent after plan grants and before purchases. */
    static final int REFUND_PRIORITY = 200;

    enum State {
        OPEN("open"),
        REFUNDED("refunded"),
        REJECTED("rejected");

        private final String wire;

        State(String wire) {
            this.wire = wire;
        }

        String wire() {
            return wire;
        }

        static State of(String wire) {
            return Arrays.stream(values())
                    .filter(s -> s.wire.equals(wire))
                    .findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("unknown dispute state " + wire));
        }
    }

    /** What an admin decided. */
    enum Decision {
        REFUND,
        REJECT
    }

    record Dispute(
            UUID id,
            UUID org,
            UUID transaction,
            @Nullable UUID entry,
            TransactionKind kind,
            long amount,
            String reason,
            UUID openedBy,
            Instant openedAt,
            State state,
            @Nullable UUID resolvedBy,
            @Nullable Instant resolvedAt,
            @Nullable String note,
            @Nullable Long refundAmount,
            @Nullable UUID refundTransaction) {}

    private static final String SELECT = """
            select d.*, t.kind from credit_disputes d join credit_transactions t on t.id = d.transaction_id
            """;

    private static Dispute row(java.sql.ResultSet rs, int i) throws java.sql.SQLException {
        return new Dispute(
                rs.getObject("id", UUID.class),
                rs.getObject("org_id", UUID.class),
                rs.getObject("transaction_id", UUID.class),
                rs.getObject("entry_id", UUID.class),
                TransactionKind.of(rs.getString("kind")),
                rs.getLong("amount"),
                rs.getString("reason"),
                rs.getObject("opened_by", UUID.class),
                instant(rs, "opened_at"),
                State.of(rs.getString("state")),
                rs.getObject("resolved_by", UUID.class),
                nullableInstant(rs, "resolved_at"),
                rs.getString("note"),
                rs.getObject("refund_amount", Long.class),
                rs.getObject("refund_tx", UUID.class));
    }

    private static final Keyset<Dispute> NEWEST_FIRST =
            Keyset.newestFirst("d.opened_at", "d.id", Disputes::row, d -> new PageCursor(d.openedAt(), d.id()));
    private static final Keyset<Dispute> OLDEST_FIRST =
            Keyset.oldestFirst("d.opened_at", "d.id", Disputes::row, d -> new PageCursor(d.openedAt(), d.id()));

    private final Ledger ledger;
    private final Grants grants;
    private final AuditLog audit;
    private final JdbcClient db;
    private final TransactionTemplate tx;

    Disputes(Ledger ledger, Grants grants, AuditLog audit, JdbcClient db, TransactionTemplate tx) {
        this.ledger = ledger;
        this.grants = grants;
        this.audit = audit;
        this.db = db;
        this.tx = tx;
    }

    /**
     * Opens a dispute of a transaction of the organization, named by the transaction or by one of its entries.
     * 404 when it is not the organization's, 422 when it took nothing (left to refund), 409 when the transaction
     * is already in an open dispute.
     */
    Dispute open(
            UUID org, @Nullable UUID transaction, @Nullable UUID entry, String reason, Caller caller, Instant now) {
        return java.util.Objects.requireNonNull(tx.execute(s -> {
            ledger.lock(org);
            UUID txId = transaction;
            if (entry != null) {
                UUID owner = db.sql("select transaction_id from credit_entries where id = :entry and org_id = :org")
                        .param("entry", entry)
                        .param("org", org)
                        .query(UUID.class)
                        .optional()
                        .orElseThrow(CreditOpsFailures::transactionNotFound);
                if (txId != null && !txId.equals(owner)) {
                    throw CreditFailures.invalidField("entry_id", "is not an entry of transaction_id");
                }
                txId = owner;
            }
            if (txId == null) throw CreditFailures.invalidField("transaction_id", "name a transaction or an entry");
            UUID disputed = txId;
            TransactionKind kind = db.sql("select kind from credit_transactions where id = :tx and org_id = :org")
                    .param("tx", disputed)
                    .param("org", org)
                    .query((rs, i) -> TransactionKind.of(rs.getString(1)))
                    .optional()
                    .orElseThrow(CreditOpsFailures::transactionNotFound);
            long left = refundable(disputed);
            if (left <= 0) throw CreditOpsFailures.notDisputable(kind.wire());
            UUID id = UUID.randomUUID();
            int inserted = db.sql("""
                            insert into credit_disputes (id, org_id, transaction_id, entry_id, amount, reason, opened_by,
                                                         opened_at, state)
                            values (:id, :org, :tx, :entry, :amount, :reason, :by, :now, 'open')
                            on conflict (transaction_id) where state = 'open' do nothing
                            """)
                    .param("id", id)
                    .param("org", org)
                    .param("tx", disputed)
                    .param("entry", entry)
                    .param("amount", left)
                    .param("reason", reason)
                    .param("by", caller.userId())
                    .param("now", utc(now))
                    .update();
            if (inserted == 0) {
                UUID open = db.sql("select id from credit_disputes where transaction_id = :tx and state = 'open'")
                        .param("tx", disputed)
                        .query(UUID.class)
                        .single();
                throw CreditOpsFailures.alreadyDisputed(open.toString());
            }
            audit.record(AuditEntry.by(caller, "credits.dispute_opened")
                    .target("credit_dispute", id)
                    .detail("org", org)
                    .detail("transaction", disputed)
                    .detail("amount", Micros.pt(left).toPlainString())
                    .detail("reason", reason));
            return find(id);
        }));
    }

    /**
     * What the transaction took from the organization's own accounts (available and held), less what disputes
     * already refunded of it.
     */
    long refundable(UUID transaction) {
        long net = db.sql("""
                        select coalesce(sum(amount), 0) from credit_entries
                        where transaction_id = :tx and account in ('available', 'held')
                        """).param("tx", transaction).query(Long.class).single();
        long refunded = db.sql("""
                        select coalesce(sum(refund_amount), 0) from credit_disputes
                        where transaction_id = :tx and state = 'refunded'
                        """).param("tx", transaction).query(Long.class).single();
        return -net - refunded;
    }

    /**
     * Resolves an open dispute: a refund (of {@code amount}, or all that is left) posted as a compensating
     * transaction into a new refund block, or a rejection with a note. Resolving a resolved dispute with the same
     * decision (and amount) answers it as it is; with another, 409.
     */
    Dispute resolve(
            UUID id,
            Decision decision,
            @Nullable Long amount,
            @Nullable String note,
            Caller caller,
            @Nullable String requestId,
            Instant now) {
        Dispute found = find(id);
        if (found == null) throw CreditOpsFailures.disputeNotFound();
        return java.util.Objects.requireNonNull(tx.execute(s -> {
            ledger.lock(found.org());
            Dispute d = java.util.Objects.requireNonNull(db.sql(SELECT + " where d.id = :id for update of d")
                    .param("id", id)
                    .query(Disputes::row)
                    .single());
            if (d.state() != State.OPEN) {
                boolean same = decision == Decision.REFUND
                        ? d.state() == State.REFUNDED && (amount == null || amount.equals(d.refundAmount()))
                        : d.state() == State.REJECTED;
                if (same) return d;
                throw CreditOpsFailures.alreadyResolved(d.state().wire());
            }
            if (decision == Decision.REJECT) {
                if (note == null || note.isBlank())
                    throw CreditFailures.invalidField("note", "a rejection needs a note");
                db.sql("""
                                update credit_disputes set state = 'rejected', resolved_by = :by, resolved_at = :now,
                                                           note = :note
                                where id = :id and state = 'open'
                                """)
                        .param("by", caller.userId())
                        .param("now", utc(now))
                        .param("note", note)
                        .param("id", id)
                        .update();
                audit.record(AuditEntry.by(caller, "credits.dispute_rejected")
                        .target("credit_dispute", id)
                        .detail("org", d.org())
                        .detail("note", note));
                return find(id);
            }
            long refund = amount == null ? d.amount() : amount;
            if (refund <= 0 || refund > d.amount()) {
                throw CreditFailures.invalidField(
                        "amount",
                        "must be more than 0 and at most "
                                + Micros.pt(d.amount()).toPlainString() + " PT");
            }
            UUID block = ledger.openBlock(d.org(), BlockSource.REFUND, null, REFUND_PRIORITY, refund, null, now);
            UUID refundTx = ledger.post(Posting.of(
                            d.org(),
                            TransactionKind.REFUND,
                            new Legs()
                                    .add(Account.REFUNDS, -refund)
                                    .add(Account.AVAILABLE, block, refund)
                                    .list(),
                            now)
                    .reference(d.transaction())
                    .externalRef("dispute:" + id)
                    .by(caller.userId(), note, requestId)
                    .details(Map.of("dispute", id.toString())));
            ledger.grantedBy(block, refundTx);
            grants.repayOverdraft(d.org(), block, refund, now);
            db.sql("""
                            update credit_disputes set state = 'refunded', resolved_by = :by, resolved_at = :now,
                                                       note = :note, refund_amount = :refund, refund_tx = :refundTx
                            where id = :id and state = 'open'
                            """)
                    .param("by", caller.userId())
                    .param("now", utc(now))
                    .param("note", note)
                    .param("refund", refund)
                    .param("refundTx", refundTx)
                    .param("id", id)
                    .update();
            audit.record(AuditEntry.by(caller, "credits.dispute_refunded")
                    .target("credit_dispute", id)
                    .detail("org", d.org())
                    .detail("transaction", d.transaction())
                    .detail("refund_transaction", refundTx)
                    .detail("amount", Micros.pt(refund).toPlainString())
                    .detail("note", note));
            return find(id);
        }));
    }

    @Nullable
    Dispute find(UUID id) {
        return db.sql(SELECT + " where d.id = :id")
                .param("id", id)
                .query(Disputes::row)
                .optional()
                .orElse(null);
    }

    /** The organization's disputes, newest first. */
    Page<Dispute> ofOrganization(UUID org, @Nullable State state, @Nullable PageCursor after, int limit) {
        return NEWEST_FIRST.fetch(
                after,
                limit,
                tail -> db.sql(SELECT + """
                        where d.org_id = :org and (cast(:state as text) is null or d.state = :state)
                        """ + tail)
                        .param("org", org)
                        .param("state", state == null ? null : state.wire()));
    }

    /** The admins' queue: disputes in the state (every state when null), oldest first. */
    Page<Dispute> queue(@Nullable State state, @Nullable PageCursor after, int limit) {
        return OLDEST_FIRST.fetch(
                after, limit, tail -> db.sql(SELECT + """
                        where (cast(:state as text) is null or d.state = :state)
                        """ + tail).param("state", state == null ? null : state.wire()));
    }
}
