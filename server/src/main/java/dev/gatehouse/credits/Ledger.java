package dev.gatehouse.credits;

import static dev.gatehouse.platform.Timestamps.nullableInstant;
import static dev.gatehouse.platform.Timestamps.utc;

import dev.gatehouse.platform.Timestamps;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import tools.jackson.databind.json.JsonMapper;

/**
 * The posting service: the one place that writes entries, and with them the cached balances of accounts and
 * blocks, so the caches and the entries cannot disagree. Every caller works inside a transaction that first took
 * {@link #lock}, which serializes one organization's changes (a reservation's check and its hold are one step, on
 * every node) while different organizations never wait for each other.
 *
 * <p>Double-entry: a transaction's entries sum to zero. {@link #post} checks it before writing, and the database
 * checks it again at commit (a deferred constraint trigger), so an unbalanced transaction cannot exist whatever
 * path wrote it. Entries are never updated or deleted (triggers refuse it): a correction is a new transaction.
 *
 * <p>A posting is written at once, or, in a transaction that opened a {@link LedgerBatch} (the batched credit
 * calls), kept by the batch and written with the batch's others in the same few statements ({@link #write}). Inside
 * a batch the reads here ({@link #balance}, {@link #spendable}, {@link #overdraft}) answer from the batch, which
 * has applied its postings so far: one definition of what a posting does to the cached balances
 * ({@link Posting#byAccount}, {@link Posting#byBlock}) serves both the batch and the writes.
 */
@Component
class Ledger {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final JdbcClient db;

    Ledger(JdbcClient db) {
        this.db = db;
    }

    /** One entry of a posting: an amount on an account, and the block for the organization's own accounts. */
    record Leg(Account account, @Nullable UUID block, long amount) {

        Leg {
            if (amount == 0) throw new IllegalArgumentException("an entry moves a non-zero amount");
            if (account.blocked() != (block != null)) {
                throw new IllegalArgumentException(
                        account.wire() + " entries " + (account.blocked() ? "need" : "take no") + " block");
            }
        }

        static Leg of(Account account, long amount) {
            return new Leg(account, null, amount);
        }

        static Leg of(Account account, UUID block, long amount) {
            return new Leg(account, block, amount);
        }
    }

    /**
     * A transaction to post.
     *
     * @param reference the reservation or transaction it belongs to, if any
     * @param externalRef the caller's reference, unique per organization and kind (see {@link #findByExternalRef})
     * @param details usage behind it (user, model, tokens), stored as JSON
     */
    record Posting(
            UUID org,
            TransactionKind kind,
            List<Leg> legs,
            @Nullable UUID reference,
            @Nullable String externalRef,
            @Nullable String reason,
            @Nullable UUID actor,
            @Nullable String requestId,
            @Nullable Map<String, ?> details,
            Instant at) {

        Posting {
            legs = List.copyOf(legs);
            if (legs.size() < 2) throw new IllegalArgumentException("a transaction has at least two entries");
            long sum = 0;
            for (Leg leg : legs) sum = Math.addExact(sum, leg.amount());
            if (sum != 0) throw new IllegalArgumentException("unbalanced transaction: entries sum to " + sum);
        }

        static Posting of(UUID org, TransactionKind kind, List<Leg> legs, Instant at) {
            return new Posting(org, kind, legs, null, null, null, null, null, null, at);
        }

        Posting reference(@Nullable UUID value) {
            return new Posting(org, kind, legs, value, externalRef, reason, actor, requestId, details, at);
        }

        Posting externalRef(@Nullable String value) {
            return new Posting(org, kind, legs, reference, value, reason, actor, requestId, details, at);
        }

        Posting by(@Nullable UUID actorId, @Nullable String why, @Nullable String request) {
            return new Posting(org, kind, legs, reference, externalRef, why, actorId, request, details, at);
        }

        Posting details(@Nullable Map<String, ?> value) {
            return new Posting(org, kind, legs, reference, externalRef, reason, actor, requestId, value, at);
        }

        /** What the posting adds to the cached balance of each account it names. */
        Map<Account, Long> byAccount() {
            Map<Account, Long> sums = new EnumMap<>(Account.class);
            for (Leg leg : legs) sums.merge(leg.account(), leg.amount(), Math::addExact);
            return sums;
        }

        /** What the posting adds to each block it names: its available entries to remaining, held ones to held. */
        Map<UUID, Delta> byBlock() {
            Map<UUID, Delta> sums = new LinkedHashMap<>();
            for (Leg leg : legs) {
                if (leg.block() == null) continue;
                Delta delta =
                        leg.account() == Account.AVAILABLE ? new Delta(leg.amount(), 0) : new Delta(0, leg.amount());
                sums.merge(leg.block(), delta, Delta::plus);
            }
            return sums;
        }
    }

    /** A change of a block's cached balances. */
    record Delta(long remaining, long held) {

        Delta plus(Delta other) {
            return new Delta(Math.addExact(remaining, other.remaining), Math.addExact(held, other.held));
        }
    }

    /** A posting with the id of its transaction. */
    record Posted(UUID id, Posting posting) {}

    /**
     * Locks the organization's credits until the transaction ends (its available account row, created when
     * missing) and returns the available balance. Every change to an organization's credits takes it first.
     */
    @Transactional(propagation = Propagation.MANDATORY)
    long lock(UUID org) {
        return lock(List.of(org)).get(org);
    }

    /**
     * Locks several organizations' credits at once, in the database's order of their ids (so two transactions
     * that lock overlapping sets cannot deadlock), and returns their available balances.
     */
    @Transactional(propagation = Propagation.MANDATORY)
    Map<UUID, Long> lock(Collection<UUID> orgs) {
        String[] ids = orgs.stream().distinct().map(UUID::toString).toArray(String[]::new);
        // A plain row lock, not an upsert that rewrites the row: locking writes no new row version. FOR NO KEY
        // UPDATE, the lock an update takes: lockers exclude each other, while the foreign-key checks of entries and
        // period snapshots (FOR KEY SHARE) pass. The accounts are created on an organization's first credit call.
        Map<UUID, Long> balances = lockAvailable(ids);
        if (balances.size() < ids.length) {
            db.sql("""
                            insert into credit_accounts (org_id, account, balance)
                            select o, 'available', 0 from unnest(cast(:orgs as uuid[])) as o order by o
                            on conflict (org_id, account) do nothing
                            """).param("orgs", ids).update();
            balances = lockAvailable(ids);
        }
        return balances;
    }

    private Map<UUID, Long> lockAvailable(String[] orgs) {
        Map<UUID, Long> balances = new HashMap<>();
        db.sql("""
                        select org_id, balance from credit_accounts
                        where org_id = any(cast(:orgs as uuid[])) and account = 'available'
                        order by org_id for no key update
                        """).param("orgs", orgs).query(rs -> {
            balances.put(rs.getObject("org_id", UUID.class), rs.getLong("balance"));
        });
        return balances;
    }

    /**
     * Locks the organizations ({@link #lock}) and opens the transaction's {@link LedgerBatch} for them, loading
     * their balances, their blocks and the named reservations. From then on the transaction's postings and reads
     * for them go through the batch, which writes its postings when flushed, and before the commit at the latest.
     */
    @Transactional(propagation = Propagation.MANDATORY)
    LedgerBatch open(Collection<UUID> orgs, Collection<UUID> reservations) {
        if (current() != null) throw new IllegalStateException("the transaction has a ledger batch already");
        lock(orgs);
        LedgerBatch batch = new LedgerBatch(this, db, orgs, reservations);
        TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
            @Override
            public void beforeCommit(boolean readOnly) {
                batch.flush();
            }

            @Override
            public void afterCompletion(int status) {
                TransactionSynchronizationManager.unbindResourceIfPossible(LedgerBatch.class);
            }
        });
        TransactionSynchronizationManager.bindResource(LedgerBatch.class, batch);
        return batch;
    }

    /**
     * The transaction's batch, which must hold the organization; when the transaction has none, a batch of the
     * organization alone is opened now (a reservation, settle or release made outside the batched calls).
     */
    @Transactional(propagation = Propagation.MANDATORY)
    LedgerBatch batch(UUID org) {
        LedgerBatch batch = current();
        if (batch == null) return open(List.of(org), List.of());
        if (!batch.holds(org)) {
            throw new IllegalStateException("the transaction's ledger batch does not hold organization " + org);
        }
        return batch;
    }

    /** The batch the current transaction opened, if any. */
    @Nullable
    LedgerBatch current() {
        return (LedgerBatch) TransactionSynchronizationManager.getResource(LedgerBatch.class);
    }

    /**
     * Posts a balanced transaction and updates the cached balances of its accounts and blocks; returns its id. In a
     * transaction with a {@link LedgerBatch}, the batch takes the posting and writes it with its others.
     */
    @Transactional(propagation = Propagation.MANDATORY)
    UUID post(Posting p) {
        LedgerBatch batch = current();
        if (batch != null) return batch.post(p);
        UUID id = UUID.randomUUID();
        write(List.of(new Posted(id, p)));
        return id;
    }

    /** An account of an organization. */
    private record OrgAccount(UUID org, Account account) {}

    /** A block with the organization it must belong to. */
    private record OrgBlock(UUID org, UUID block) {}

    /**
     * Writes postings, as many as there are, in four statements (five when an account is new): the transactions,
     * the sums they add to the cached balances of accounts and blocks, and the entries. Each organization's sums
     * are added once, so the database's checks on cached balances see the net change of all the postings; a
     * batch checks each posting on its own before it takes it ({@link LedgerBatch#post}). The caller holds every
     * organization's lock.
     */
    @Transactional(propagation = Propagation.MANDATORY)
    void write(List<Posted> postings) {
        if (postings.isEmpty()) return;
        List<Entry> entries = new ArrayList<>();
        Map<OrgAccount, Long> accounts = new LinkedHashMap<>();
        Map<OrgBlock, Delta> blocks = new LinkedHashMap<>();
        for (Posted posted : postings) {
            Posting p = posted.posting();
            for (Leg leg : p.legs()) entries.add(new Entry(UUID.randomUUID(), posted.id(), p.org(), leg, p.at()));
            p.byAccount()
                    .forEach((account, sum) -> accounts.merge(new OrgAccount(p.org(), account), sum, Math::addExact));
            p.byBlock().forEach((block, delta) -> blocks.merge(new OrgBlock(p.org(), block), delta, Delta::plus));
        }
        db.sql("""
                        insert into credit_transactions (id, org_id, kind, reference, external_ref, reason, actor_id,
                                                         request_id, details, created_at)
                        select i, o, k, r, x, w, a, q, cast(d as jsonb), t
                        from unnest(cast(:ids as uuid[]), cast(:orgs as uuid[]), cast(:kinds as text[]),
                                    cast(:references as uuid[]), cast(:externalRefs as text[]),
                                    cast(:reasons as text[]), cast(:actors as uuid[]), cast(:requestIds as text[]),
                                    cast(:details as text[]), cast(:times as timestamptz[]))
                             as u (i, o, k, r, x, w, a, q, d, t)
                        """)
                .param("ids", column(postings, Posted::id))
                .param("orgs", column(postings, t -> t.posting().org()))
                .param("kinds", column(postings, t -> t.posting().kind().wire()))
                .param("references", column(postings, t -> t.posting().reference()))
                .param("externalRefs", column(postings, t -> t.posting().externalRef()))
                .param("reasons", column(postings, t -> t.posting().reason()))
                .param("actors", column(postings, t -> t.posting().actor()))
                .param("requestIds", column(postings, t -> t.posting().requestId()))
                .param("details", column(postings, t -> {
                    Map<String, ?> details = t.posting().details();
                    return details == null ? null : JSON.writeValueAsString(details);
                }))
                .param(
                        "times",
                        column(postings, t -> Timestamps.micros(t.posting().at())))
                .update();
        addToAccounts(accounts);
        db.sql("""
                        insert into credit_entries (id, transaction_id, org_id, account, block_id, amount, created_at)
                        select i, x, o, a, b, d, t
                        from unnest(cast(:ids as uuid[]), cast(:txs as uuid[]), cast(:orgs as uuid[]),
                                    cast(:accounts as text[]), cast(:blocks as uuid[]), cast(:amounts as bigint[]),
                                    cast(:times as timestamptz[])) as u (i, x, o, a, b, d, t)
                        """)
                .param("ids", column(entries, Entry::id))
                .param("txs", column(entries, Entry::transaction))
                .param("orgs", column(entries, Entry::org))
                .param("accounts", column(entries, e -> e.leg().account().wire()))
                .param("blocks", column(entries, e -> e.leg().block()))
                .param("amounts", column(entries, e -> e.leg().amount()))
                .param("times", column(entries, e -> Timestamps.micros(e.at())))
                .update();
        addToBlocks(blocks);
    }

    /** An entry to insert: a leg of a transaction. */
    private record Entry(UUID id, UUID transaction, UUID org, Leg leg, Instant at) {}

    /**
     * A column of rows as text, for PostgreSQL to cast to the column's type (ids, amounts, and instants that are
     * already what a {@code timestamptz} keeps): how one statement writes any number of rows.
     */
    static <T> @Nullable String[] column(List<T> rows, Function<T, @Nullable Object> value) {
        return rows.stream()
                .map(value)
                .map(v -> v == null ? null : v.toString())
                .toArray(String[]::new);
    }

    /**
     * Adds the sums to the accounts' cached balances, creating the accounts on first use. Not one upsert:
     * PostgreSQL checks the row an upsert would insert before it finds the conflict, so a negative sum on an
     * existing held account would fail its check.
     */
    private void addToAccounts(Map<OrgAccount, Long> sums) {
        List<OrgAccount> keys = List.copyOf(sums.keySet());
        List<OrgAccount> existing = db.sql("""
                        update credit_accounts c set balance = c.balance + u.d
                        from unnest(cast(:orgs as uuid[]), cast(:accounts as text[]), cast(:amounts as bigint[]))
                             as u (o, a, d)
                        where c.org_id = u.o and c.account = u.a
                        returning c.org_id, c.account
                        """)
                .param("orgs", keys.stream().map(k -> k.org().toString()).toArray(String[]::new))
                .param("accounts", keys.stream().map(k -> k.account().wire()).toArray(String[]::new))
                .param("amounts", keys.stream().map(sums::get).toArray(Long[]::new))
                .query((rs, i) ->
                        new OrgAccount(rs.getObject("org_id", UUID.class), Account.of(rs.getString("account"))))
                .list();
        if (existing.size() < keys.size()) {
            // New accounts; the organizations' locks keep anyone else from creating them meanwhile.
            List<OrgAccount> missing = new ArrayList<>(keys);
            missing.removeAll(existing);
            db.sql("""
                            insert into credit_accounts (org_id, account, balance)
                            select o, a, d
                            from unnest(cast(:orgs as uuid[]), cast(:accounts as text[]), cast(:amounts as bigint[]))
                                 as u (o, a, d)
                            """)
                    .param("orgs", missing.stream().map(k -> k.org().toString()).toArray(String[]::new))
                    .param(
                            "accounts",
                            missing.stream().map(k -> k.account().wire()).toArray(String[]::new))
                    .param("amounts", missing.stream().map(sums::get).toArray(Long[]::new))
                    .update();
        }
    }

    private void addToBlocks(Map<OrgBlock, Delta> deltas) {
        if (deltas.isEmpty()) return;
        List<OrgBlock> keys = List.copyOf(deltas.keySet());
        int updated = db.sql("""
                        update credit_blocks b set remaining = b.remaining + u.r, held = b.held + u.h
                        from unnest(cast(:blocks as uuid[]), cast(:orgs as uuid[]), cast(:remaining as bigint[]),
                                    cast(:held as bigint[])) as u (id, o, r, h)
                        where b.id = u.id and b.org_id = u.o
                        """)
                .param("blocks", keys.stream().map(k -> k.block().toString()).toArray(String[]::new))
                .param("orgs", keys.stream().map(k -> k.org().toString()).toArray(String[]::new))
                .param(
                        "remaining",
                        keys.stream().map(k -> deltas.get(k).remaining()).toArray(Long[]::new))
                .param("held", keys.stream().map(k -> deltas.get(k).held()).toArray(Long[]::new))
                .update();
        if (updated != keys.size()) {
            throw new IllegalStateException("a posting names a block of another organization, or none");
        }
    }

    /** A block of credits as spending sees it. */
    record Block(
            UUID id,
            BlockSource source,
            @Nullable String plan,
            int priority,
            long granted,
            long remaining,
            long held,
            @Nullable Instant expiresAt,
            Instant createdAt) {

        Block plus(Delta delta) {
            return new Block(
                    id,
                    source,
                    plan,
                    priority,
                    granted,
                    Math.addExact(remaining, delta.remaining()),
                    Math.addExact(held, delta.held()),
                    expiresAt,
                    createdAt);
        }
    }

    /** A new block, empty until a posting credits it. */
    @Transactional(propagation = Propagation.MANDATORY)
    UUID openBlock(
            UUID org,
            BlockSource source,
            @Nullable String plan,
            int priority,
            long granted,
            @Nullable Instant expiresAt,
            Instant now) {
        UUID id = UUID.randomUUID();
        db.sql("""
                        insert into credit_blocks (id, org_id, source, plan, priority, granted, remaining, held,
                                                   expires_at, created_at)
                        values (:id, :org, :source, :plan, :priority, :granted, 0, 0, :expiresAt, :now)
                        """)
                .param("id", id)
                .param("org", org)
                .param("source", source.wire())
                .param("plan", plan)
                .param("priority", priority)
                .param("granted", granted)
                .param("expiresAt", utc(expiresAt))
                .param("now", utc(now))
                .update();
        LedgerBatch batch = current();
        if (batch != null) {
            batch.opened(
                    org,
                    new Block(
                            id,
                            source,
                            plan,
                            priority,
                            granted,
                            0,
                            0,
                            expiresAt == null ? null : Timestamps.micros(expiresAt),
                            Timestamps.micros(now)));
        }
        return id;
    }

    /** Records which transaction granted a block. */
    void grantedBy(UUID block, UUID tx) {
        db.sql("update credit_blocks set grant_tx = :tx where id = :id")
                .param("tx", tx)
                .param("id", block)
                .update();
    }

    /**
     * The organization's blocks that may be spent now, in spending order: lower priority number first, then
     * sooner expiry (never-expiring last), then older grant. The overdraft block is not among them.
     */
    List<Block> spendable(UUID org, Instant now) {
        LedgerBatch batch = current();
        if (batch != null) return batch.spendable(org, now);
        return db.sql("""
                        select * from credit_blocks
                        where org_id = :org and expired_at is null and remaining > 0 and source <> 'overdraft'
                          and (expires_at is null or expires_at > :now)
                        order by priority, expires_at nulls last, created_at, id
                        """)
                .param("org", org)
                .param("now", utc(now))
                .query((rs, i) -> block(rs))
                .list();
    }

    /** The organization's overdraft block, if its plan ever let it overdraw. */
    @Nullable
    Block overdraft(UUID org) {
        LedgerBatch batch = current();
        if (batch != null) return batch.overdraft(org);
        return db.sql("select * from credit_blocks where org_id = :org and source = 'overdraft'")
                .param("org", org)
                .query((rs, i) -> block(rs))
                .optional()
                .orElse(null);
    }

    /** The organization's overdraft block, opened when missing. */
    @Transactional(propagation = Propagation.MANDATORY)
    UUID overdraftBlock(UUID org, Instant now) {
        Block existing = overdraft(org);
        return existing != null ? existing.id() : openBlock(org, BlockSource.OVERDRAFT, null, 1000, 0, null, now);
    }

    /** What taking {@code amount} from the blocks in spending order takes from each; may fall short. */
    static List<Map.Entry<UUID, Long>> take(List<Block> order, long amount) {
        List<Map.Entry<UUID, Long>> taken = new ArrayList<>();
        long left = amount;
        for (Block b : order) {
            if (left == 0) break;
            long part = Math.min(left, b.remaining());
            if (part > 0) {
                taken.add(Map.entry(b.id(), part));
                left -= part;
            }
        }
        return taken;
    }

    /** An account's cached balance; 0 when it has no entries yet. */
    long balance(UUID org, Account account) {
        LedgerBatch batch = current();
        if (batch != null) return batch.balance(org, account);
        return db.sql("select balance from credit_accounts where org_id = :org and account = :account")
                .param("org", org)
                .param("account", account.wire())
                .query(Long.class)
                .optional()
                .orElse(0L);
    }

    /** The transaction posted with this external reference, if any (what makes such postings idempotent). */
    @Nullable
    UUID findByExternalRef(UUID org, TransactionKind kind, String externalRef) {
        return db.sql("""
                        select id from credit_transactions where org_id = :org and kind = :kind
                          and external_ref = :ref
                        """)
                .param("org", org)
                .param("kind", kind.wire())
                .param("ref", externalRef)
                .query(UUID.class)
                .optional()
                .orElse(null);
    }

    static Block block(java.sql.ResultSet rs) throws java.sql.SQLException {
        return new Block(
                rs.getObject("id", UUID.class),
                BlockSource.of(rs.getString("source")),
                rs.getString("plan"),
                rs.getInt("priority"),
                rs.getLong("granted"),
                rs.getLong("remaining"),
                rs.getLong("held"),
                nullableInstant(rs, "expires_at"),
                dev.gatehouse.platform.Timestamps.instant(rs, "created_at"));
    }
}
