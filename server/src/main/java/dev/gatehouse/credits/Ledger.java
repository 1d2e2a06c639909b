package dev.gatehouse.credits;

import static dev.gatehouse.platform.Timestamps.nullableInstant;
import static dev.gatehouse.platform.Timestamps.utc;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;
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
    }

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

    /** Posts a balanced transaction and updates the cached balances of its accounts and blocks; returns its id. */
    @Transactional(propagation = Propagation.MANDATORY)
    UUID post(Posting p) {
        UUID id = UUID.randomUUID();
        db.sql("""
                        insert into credit_transactions (id, org_id, kind, reference, external_ref, reason, actor_id,
                                                         request_id, details, created_at)
                        values (:id, :org, :kind, :reference, :externalRef, :reason, :actor, :requestId,
                                cast(:details as jsonb), :at)
                        """)
                .param("id", id)
                .param("org", p.org())
                .param("kind", p.kind().wire())
                .param("reference", p.reference())
                .param("externalRef", p.externalRef())
                .param("reason", p.reason())
                .param("actor", p.actor())
                .param("requestId", p.requestId())
                .param("details", p.details() == null ? null : JSON.writeValueAsString(p.details()))
                .param("at", utc(p.at()))
                .update();
        int n = p.legs().size();
        String[] ids = new String[n];
        String[] accounts = new String[n];
        String[] blocks = new String[n];
        Long[] amounts = new Long[n];
        Map<UUID, long[]> byBlock = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            Leg leg = p.legs().get(i);
            ids[i] = UUID.randomUUID().toString();
            accounts[i] = leg.account().wire();
            blocks[i] = leg.block() == null ? null : leg.block().toString();
            amounts[i] = leg.amount();
            if (leg.block() != null) {
                long[] delta = byBlock.computeIfAbsent(leg.block(), b -> new long[2]);
                delta[leg.account() == Account.AVAILABLE ? 0 : 1] += leg.amount();
            }
        }
        // The sum per account is added to its cached balance; accounts are created on first use. Not one upsert:
        // PostgreSQL checks the row an upsert would insert before it finds the conflict, so a negative sum on an
        // existing held account would fail its check.
        Map<String, Long> sums = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) sums.merge(accounts[i], amounts[i], Math::addExact);
        String[] names = sums.keySet().toArray(String[]::new);
        Long[] deltas = sums.values().toArray(Long[]::new);
        List<String> existing = db.sql("""
                        update credit_accounts c set balance = c.balance + u.d
                        from unnest(cast(:accounts as text[]), cast(:amounts as bigint[])) as u (a, d)
                        where c.org_id = :org and c.account = u.a
                        returning c.account
                        """)
                .param("org", p.org())
                .param("accounts", names)
                .param("amounts", deltas)
                .query(String.class)
                .list();
        if (existing.size() < names.length) {
            // New accounts; the organization's lock keeps anyone else from creating them meanwhile.
            List<String> missing = new ArrayList<>(sums.keySet());
            missing.removeAll(existing);
            db.sql("""
                            insert into credit_accounts (org_id, account, balance)
                            select :org, a, d from unnest(cast(:accounts as text[]), cast(:amounts as bigint[])) as u (a, d)
                            """)
                    .param("org", p.org())
                    .param("accounts", missing.toArray(String[]::new))
                    .param("amounts", missing.stream().map(sums::get).toArray(Long[]::new))
                    .update();
        }
        db.sql("""
                        insert into credit_entries (id, transaction_id, org_id, account, block_id, amount, created_at)
                        select i, :tx, :org, a, b, d, :at
                        from unnest(cast(:ids as uuid[]), cast(:accounts as text[]), cast(:blocks as uuid[]),
                                    cast(:amounts as bigint[])) as u (i, a, b, d)
                        """)
                .param("tx", id)
                .param("org", p.org())
                .param("ids", ids)
                .param("accounts", accounts)
                .param("blocks", blocks)
                .param("amounts", amounts)
                .param("at", utc(p.at()))
                .update();
        if (!byBlock.isEmpty()) {
            String[] blockIds = byBlock.keySet().stream().map(UUID::toString).toArray(String[]::new);
            Long[] available = byBlock.values().stream().map(d -> d[0]).toArray(Long[]::new);
            Long[] held = byBlock.values().stream().map(d -> d[1]).toArray(Long[]::new);
            int updated = db.sql("""
                            update credit_blocks b set remaining = b.remaining + u.r, held = b.held + u.h
                            from unnest(cast(:blocks as uuid[]), cast(:available as bigint[]), cast(:held as bigint[]))
                                 as u (id, r, h)
                            where b.id = u.id and b.org_id = :org
                            """)
                    .param("blocks", blockIds)
                    .param("available", available)
                    .param("held", held)
                    .param("org", p.org())
                    .update();
            if (updated != blockIds.length) {
                throw new IllegalStateException("a posting names a block of another organization, or none");
            }
        }
        return id;
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
            Instant createdAt) {}

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
