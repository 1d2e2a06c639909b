package dev.gatehouse.credits;

import static dev.gatehouse.platform.Timestamps.instant;
import static dev.gatehouse.platform.Timestamps.nullableInstant;

import dev.gatehouse.credits.Ledger.Block;
import dev.gatehouse.platform.Keyset;
import dev.gatehouse.platform.Page;
import dev.gatehouse.platform.PageCursor;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** What an organization's credits look like: balances, blocks and the entries on its own accounts. */
@Component
class CreditStatements {

    /** An entry on one of the organization's own accounts, with its transaction's kind and reasons. */
    record Entry(
            UUID id,
            UUID transaction,
            TransactionKind kind,
            Account account,
            @Nullable UUID block,
            long amount,
            @Nullable UUID reference,
            @Nullable String reason,
            @Nullable String details,
            Instant createdAt) {}

    private static final Keyset<Entry> ENTRIES = Keyset.newestFirst(
            "e.created_at",
            "e.id",
            (rs, i) -> new Entry(
                    rs.getObject("id", UUID.class),
                    rs.getObject("transaction_id", UUID.class),
                    TransactionKind.of(rs.getString("kind")),
                    Account.of(rs.getString("account")),
                    rs.getObject("block_id", UUID.class),
                    rs.getLong("amount"),
                    rs.getObject("reference", UUID.class),
                    rs.getString("reason"),
                    rs.getString("details"),
                    instant(rs, "created_at")),
            e -> new PageCursor(e.createdAt(), e.id()));

    private final JdbcClient db;

    CreditStatements(JdbcClient db) {
        this.db = db;
    }

    /** Every account's cached balance; 0 for those without entries yet. */
    Map<Account, Long> balances(UUID org) {
        Map<Account, Long> balances = new EnumMap<>(Account.class);
        for (Account a : Account.values()) balances.put(a, 0L);
        db.sql("select account, balance from credit_accounts where org_id = :org")
                .param("org", org)
                .query(rs -> {
                    balances.put(Account.of(rs.getString("account")), rs.getLong("balance"));
                });
        return balances;
    }

    /** The blocks with something left, held or owed, in spending order; expired and spent ones only if asked. */
    List<Block> blocks(UUID org, boolean all) {
        return db.sql("""
                        select * from credit_blocks where org_id = :org
                          and (:all or remaining <> 0 or held <> 0)
                        order by source = 'overdraft', priority, expires_at nulls last, created_at, id
                        """)
                .param("org", org)
                .param("all", all)
                .query((rs, i) -> Ledger.block(rs))
                .list();
    }

    /** The entries on the organization's available and held accounts, newest first. */
    Page<Entry> entries(UUID org, @Nullable PageCursor after, int limit) {
        return ENTRIES.fetch(after, limit, tail -> db.sql("""
                        select e.id, e.transaction_id, t.kind, e.account, e.block_id, e.amount, t.reference, t.reason,
                               t.details::text as details, e.created_at
                        from credit_entries e join credit_transactions t on t.id = e.transaction_id
                        where e.org_id = :org and e.account in ('available', 'held')
                        """ + tail).param("org", org));
    }

    /** When the reservation's hold ends, for views. */
    static @Nullable Instant closedAt(java.sql.ResultSet rs) throws java.sql.SQLException {
        return nullableInstant(rs, "closed_at");
    }
}
