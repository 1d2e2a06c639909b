package dev.gatehouse.credits;

import static dev.gatehouse.credits.Ledger.column;

import dev.gatehouse.credits.Holds.Reservation;
import dev.gatehouse.credits.Ledger.Block;
import dev.gatehouse.credits.Ledger.Delta;
import dev.gatehouse.credits.Ledger.Posted;
import dev.gatehouse.credits.Ledger.Posting;
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
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * One transaction's view of the locked organizations' credits, and the writes it has not made yet: what lets a
 * batch of credit calls cost a few statements instead of ten or so per call. Opened by {@link Ledger#open} under
 * the organizations' locks, it loads in a few queries what the calls read (the organizations' account balances,
 * their blocks that can be spent or hold something, the named reservations with their held parts); each posting,
 * new reservation and closed reservation is applied here at once, so a later call of the batch sees the earlier
 * ones exactly as if they had committed, and kept until {@link #flush} writes them all in six statements or so,
 * however many there are.
 *
 * <p>Nothing else writes these organizations' credits meanwhile (their locks), so the loaded state plus the
 * batch's own changes is what the database would hold. The blocks not loaded (spent, with nothing held; or moved
 * to expired) can never be spent again by a credit call: only a grant refills a block, and grants run on their
 * own. The database's checks and its deferred balance trigger stay the safety net: they see each organization's
 * net change, and each posting is checked here as they checked it one posting at a time before.
 */
final class LedgerBatch {

    private final Ledger ledger;
    private final JdbcClient db;
    private final Map<UUID, Books> orgs = new LinkedHashMap<>();
    /** The reservations read or made; null for an id that has none. */
    private final Map<UUID, @Nullable Tracked> reservations = new HashMap<>();

    private final List<Posted> postings = new ArrayList<>();
    private int changes;

    /** An organization's balances by account, its spendable blocks in spending order, its overdraft block. */
    private static final class Books {
        final Map<Account, Long> balances = new EnumMap<>(Account.class);
        final Map<UUID, Block> blocks = new LinkedHashMap<>();

        @Nullable
        Block overdraft;
    }

    /** A reservation as the batch sees it, its held parts while it is held, and whether the database has it so. */
    private static final class Tracked {
        Reservation reservation;
        List<Map.Entry<UUID, Long>> parts = new ArrayList<>();

        @Nullable
        UUID closeTx;
        /** Whether the row exists in the database (before the batch, or since a flush). */
        boolean stored;
        /** Whether the database's row differs from {@link #reservation}. */
        boolean dirty;

        Tracked(Reservation reservation, boolean stored) {
            this.reservation = reservation;
            this.stored = stored;
            this.dirty = !stored;
        }
    }

    LedgerBatch(Ledger ledger, JdbcClient db, Collection<UUID> orgs, Collection<UUID> reservations) {
        this.ledger = ledger;
        this.db = db;
        for (UUID org : orgs) this.orgs.putIfAbsent(org, new Books());
        String[] ids = this.orgs.keySet().stream().map(UUID::toString).toArray(String[]::new);
        db.sql("select org_id, account, balance from credit_accounts where org_id = any(cast(:orgs as uuid[]))")
                .param("orgs", ids)
                .query(rs -> {
                    books(rs.getObject("org_id", UUID.class))
                            .balances
                            .put(Account.of(rs.getString("account")), rs.getLong("balance"));
                });
        // The blocks a call may take from, or give back to (those holding something), in spending order; the order
        // never changes (its keys do not), only which of them have something left.
        db.sql("""
                        select * from credit_blocks
                        where org_id = any(cast(:orgs as uuid[]))
                          and (source = 'overdraft' or (expired_at is null and (remaining > 0 or held > 0)))
                        order by priority, expires_at nulls last, created_at, id
                        """).param("orgs", ids).query(rs -> {
            Books books = books(rs.getObject("org_id", UUID.class));
            Block block = Ledger.block(rs);
            if (block.source() == BlockSource.OVERDRAFT) books.overdraft = block;
            else books.blocks.put(block.id(), block);
        });
        load(reservations);
    }

    /** Whether the batch holds the organization's lock and credits. */
    boolean holds(UUID org) {
        return orgs.containsKey(org);
    }

    /** How many changes the batch has taken: a refused call must take none. */
    int changes() {
        return changes;
    }

    // ---- the ledger (Ledger's reads and postings inside the batch)

    long balance(UUID org, Account account) {
        return books(org).balances.getOrDefault(account, 0L);
    }

    /** {@link Ledger#spendable}: the same filter, on the blocks as the batch has them. */
    List<Block> spendable(UUID org, Instant now) {
        Instant at = Timestamps.micros(now);
        return books(org).blocks.values().stream()
                .filter(b -> b.remaining() > 0
                        && (b.expiresAt() == null || b.expiresAt().isAfter(at)))
                .toList();
    }

    @Nullable
    Block overdraft(UUID org) {
        return books(org).overdraft;
    }

    /** A block {@link Ledger#openBlock} just inserted: only the overdraft block opens inside a batch. */
    void opened(UUID org, Block block) {
        if (block.source() != BlockSource.OVERDRAFT) {
            throw new IllegalStateException("a " + block.source().wire() + " block opened in a ledger batch");
        }
        books(org).overdraft = block;
        changes++;
    }

    /**
     * Takes the posting: applies it to the balances here and keeps it for {@link #flush}. Checks first what the
     * database checks on cached balances (held never below zero; a block's held never below zero, nor its remaining
     * unless it is the overdraft block), because the flush shows the database only the batch's sum.
     */
    UUID post(Posting p) {
        Books books = books(p.org());
        Map<Account, Long> accounts = p.byAccount();
        Map<UUID, Delta> blocks = p.byBlock();
        if (books.balances.getOrDefault(Account.HELD, 0L) + accounts.getOrDefault(Account.HELD, 0L) < 0) {
            throw new IllegalStateException("a posting would take the held account of " + p.org() + " below zero");
        }
        Map<UUID, Block> after = new LinkedHashMap<>();
        blocks.forEach((id, delta) -> {
            Block block = block(books, id);
            if (block == null) return;
            Block changed = block.plus(delta);
            if (changed.held() < 0 || (changed.remaining() < 0 && changed.source() != BlockSource.OVERDRAFT)) {
                throw new IllegalStateException("a posting would take block " + id + " below zero");
            }
            after.put(id, changed);
        });
        accounts.forEach((account, sum) -> books.balances.merge(account, sum, Math::addExact));
        after.forEach((id, block) -> {
            if (block.source() == BlockSource.OVERDRAFT) books.overdraft = block;
            else books.blocks.put(id, block);
        });
        UUID id = UUID.randomUUID();
        postings.add(new Posted(id, p));
        changes++;
        return id;
    }

    private static @Nullable Block block(Books books, UUID id) {
        Block overdraft = books.overdraft;
        return overdraft != null && overdraft.id().equals(id) ? overdraft : books.blocks.get(id);
    }

    // ---- reservations (Holds inside the batch)

    /** The reservation as the transaction sees it; null when there is none. */
    @Nullable
    Reservation reservation(UUID id) {
        Tracked tracked = tracked(id);
        return tracked == null ? null : tracked.reservation;
    }

    /** The held reservation's parts by block, in the spending order they were taken in. */
    List<Map.Entry<UUID, Long>> heldParts(Reservation r) {
        Tracked tracked = tracked(r.id());
        if (tracked == null || !tracked.reservation.state().equals("held")) {
            throw new IllegalStateException("reservation " + r.id() + " is not held");
        }
        return List.copyOf(tracked.parts);
    }

    /** A new held reservation, its transaction posted, with the parts it took; returns it as it will be stored. */
    Reservation hold(
            UUID id,
            UUID org,
            long amount,
            Instant expiresAt,
            UUID reserveTx,
            List<Map.Entry<UUID, Long>> parts,
            Instant now) {
        books(org);
        Reservation held = new Reservation(
                id, org, amount, "held", Timestamps.micros(expiresAt), Timestamps.micros(now), null, null, reserveTx);
        Tracked tracked = new Tracked(held, /* stored= */ false);
        tracked.parts.addAll(parts);
        if (reservations.get(id) != null) throw new IllegalStateException("reservation " + id + " exists");
        reservations.put(id, tracked);
        changes++;
        return held;
    }

    /** Closes the held reservation by its transaction; returns it as it will be stored. */
    Reservation close(Reservation r, String state, UUID tx, @Nullable Long settled, Instant now) {
        Tracked tracked = tracked(r.id());
        // The organization's lock makes this impossible; if it ever happened, the ledger must not commit.
        if (tracked == null || !tracked.reservation.state().equals("held")) {
            throw new IllegalStateException("reservation " + r.id() + " was closed concurrently");
        }
        Reservation held = tracked.reservation;
        books(held.org());
        tracked.reservation = new Reservation(
                held.id(),
                held.org(),
                held.amount(),
                state,
                held.expiresAt(),
                held.createdAt(),
                Timestamps.micros(now),
                settled,
                held.reserveTx());
        tracked.closeTx = tx;
        tracked.parts.clear();
        tracked.dirty = true;
        changes++;
        return tracked.reservation;
    }

    private @Nullable Tracked tracked(UUID id) {
        if (!reservations.containsKey(id)) load(List.of(id));
        return reservations.get(id);
    }

    /** Reads the reservations not read yet, with the held parts of those held: two queries for any number. */
    private void load(Collection<UUID> ids) {
        List<UUID> missing = ids.stream()
                .distinct()
                .filter(id -> !reservations.containsKey(id))
                .toList();
        if (missing.isEmpty()) return;
        for (UUID id : missing) reservations.put(id, null);
        Map<UUID, Tracked> byReserveTx = new HashMap<>();
        db.sql("select * from credit_reservations where id = any(cast(:ids as uuid[]))")
                .param("ids", missing.stream().map(UUID::toString).toArray(String[]::new))
                .query(Holds::reservation)
                .list()
                .forEach(r -> {
                    Tracked tracked = new Tracked(r, /* stored= */ true);
                    reservations.put(r.id(), tracked);
                    if (r.state().equals("held")) byReserveTx.put(r.reserveTx(), tracked);
                });
        if (byReserveTx.isEmpty()) return;
        db.sql("""
                        select e.transaction_id, e.block_id, e.amount
                        from credit_entries e join credit_blocks b on b.id = e.block_id
                        where e.transaction_id = any(cast(:txs as uuid[])) and e.account = 'held'
                        order by b.source = 'overdraft', b.priority, b.expires_at nulls last, b.created_at, b.id
                        """)
                .param("txs", byReserveTx.keySet().stream().map(UUID::toString).toArray(String[]::new))
                .query(rs -> {
                    Tracked tracked = byReserveTx.get(rs.getObject("transaction_id", UUID.class));
                    if (tracked != null) {
                        tracked.parts.add(Map.entry(rs.getObject("block_id", UUID.class), rs.getLong("amount")));
                    }
                });
    }

    // ---- writing

    /**
     * Writes what the batch took since it was opened (or last flushed): its postings ({@link Ledger#write}), its
     * new reservations in one insert and the stored ones it closed in one update. The batch stays usable.
     */
    void flush() {
        ledger.write(postings);
        postings.clear();
        List<Tracked> inserted = new ArrayList<>();
        List<Tracked> closed = new ArrayList<>();
        for (Tracked tracked : reservations.values()) {
            if (tracked == null || !tracked.dirty) continue;
            (tracked.stored ? closed : inserted).add(tracked);
        }
        if (!inserted.isEmpty()) insert(inserted);
        if (!closed.isEmpty()) close(closed);
        for (List<Tracked> written : List.of(inserted, closed)) {
            for (Tracked tracked : written) {
                tracked.stored = true;
                tracked.dirty = false;
            }
        }
    }

    private void insert(List<Tracked> rows) {
        db.sql("""
                        insert into credit_reservations (id, org_id, amount, state, expires_at, created_at, reserve_tx,
                                                         closed_at, close_tx, settled_amount)
                        select * from unnest(cast(:ids as uuid[]), cast(:orgs as uuid[]), cast(:amounts as bigint[]),
                                             cast(:states as text[]), cast(:expires as timestamptz[]),
                                             cast(:created as timestamptz[]), cast(:reserveTxs as uuid[]),
                                             cast(:closed as timestamptz[]), cast(:closeTxs as uuid[]),
                                             cast(:settled as bigint[]))
                        """)
                .param("ids", column(rows, t -> t.reservation.id()))
                .param("orgs", column(rows, t -> t.reservation.org()))
                .param("amounts", column(rows, t -> t.reservation.amount()))
                .param("states", column(rows, t -> t.reservation.state()))
                .param("expires", column(rows, t -> t.reservation.expiresAt()))
                .param("created", column(rows, t -> t.reservation.createdAt()))
                .param("reserveTxs", column(rows, t -> t.reservation.reserveTx()))
                .param("closed", column(rows, t -> t.reservation.closedAt()))
                .param("closeTxs", column(rows, t -> t.closeTx))
                .param("settled", column(rows, t -> t.reservation.settledAmount()))
                .update();
    }

    private void close(List<Tracked> rows) {
        int updated = db.sql("""
                        update credit_reservations r
                        set state = u.s, closed_at = u.c, close_tx = u.t, settled_amount = u.a
                        from unnest(cast(:ids as uuid[]), cast(:states as text[]), cast(:closed as timestamptz[]),
                                    cast(:closeTxs as uuid[]), cast(:settled as bigint[])) as u (id, s, c, t, a)
                        where r.id = u.id and r.state = 'held'
                        """)
                .param("ids", column(rows, t -> t.reservation.id()))
                .param("states", column(rows, t -> t.reservation.state()))
                .param("closed", column(rows, t -> t.reservation.closedAt()))
                .param("closeTxs", column(rows, t -> t.closeTx))
                .param("settled", column(rows, t -> t.reservation.settledAmount()))
                .update();
        // The organizations' locks make this impossible; if it ever happened, the ledger must not commit.
        if (updated != rows.size()) throw new IllegalStateException("a reservation was closed concurrently");
    }

    private Books books(UUID org) {
        Books books = orgs.get(org);
        if (books == null) {
            throw new IllegalStateException("organization " + org + " is not locked by the transaction's ledger batch");
        }
        return books;
    }
}
