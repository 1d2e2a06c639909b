package dev.gatehouse.credits;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatehouse.credits.Ledger.Leg;
import dev.gatehouse.credits.Ledger.Posting;
import dev.gatehouse.support.CheckConstraints;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.modulith.test.ApplicationModuleTest;
import org.springframework.modulith.test.ApplicationModuleTest.BootstrapMode;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.TestPropertySource;
import org.springframework.transaction.support.TransactionTemplate;

/** The ledger's invariants held by the database itself: balanced transactions, immutable entries, cached balances. */
@ApplicationModuleTest(mode = BootstrapMode.ALL_DEPENDENCIES)
@ActiveProfiles("test")
@TestPropertySource(properties = "gatehouse.embedded-db.data-dir=target/embedded-postgres-credits-module")
class LedgerTest {

    private final Ledger ledger;
    private final JdbcClient db;
    private final TransactionTemplate tx;
    private final Clock clock;

    LedgerTest(Ledger ledger, JdbcClient db, TransactionTemplate tx, Clock clock) {
        this.ledger = ledger;
        this.db = db;
        this.tx = tx;
        this.clock = clock;
    }

    private UUID grant(UUID org, long micros) {
        return tx.execute(s -> {
            ledger.lock(org);
            UUID block = ledger.openBlock(org, BlockSource.PROMO, null, 10, micros, null, clock.instant());
            ledger.post(Posting.of(
                    org,
                    TransactionKind.GRANT,
                    List.of(Leg.of(Account.ISSUED, -micros), Leg.of(Account.AVAILABLE, block, micros)),
                    clock.instant()));
            return block;
        });
    }

    @Test
    void postingUpdatesCachedBalancesOfAccountsAndBlocks() {
        UUID org = UUID.randomUUID();
        UUID block = grant(org, 5_000_000);
        assertThat(ledger.balance(org, Account.AVAILABLE)).isEqualTo(5_000_000);
        assertThat(ledger.balance(org, Account.ISSUED)).isEqualTo(-5_000_000);
        assertThat(db.sql("select remaining from credit_blocks where id = :id")
                        .param("id", block)
                        .query(Long.class)
                        .single())
                .isEqualTo(5_000_000);
        assertThat(db.sql("select coalesce(sum(amount), 0) from credit_entries where org_id = :org")
                        .param("org", org)
                        .query(Long.class)
                        .single())
                .isZero();
    }

    @Test
    void anUnbalancedTransactionCannotBeCommitted() {
        UUID org = UUID.randomUUID();
        grant(org, 1_000_000);
        UUID id = UUID.randomUUID();
        assertThatThrownBy(() -> tx.executeWithoutResult(s -> {
                    db.sql(
                                    "insert into credit_transactions (id, org_id, kind, created_at) values (:id, :org, 'debit', now())")
                            .param("id", id)
                            .param("org", org)
                            .update();
                    db.sql("""
                                    insert into credit_entries (id, transaction_id, org_id, account, amount, created_at)
                                    values (gen_random_uuid(), :id, :org, 'issued', 7, now())
                                    """).param("id", id).param("org", org).update();
                }))
                .isInstanceOf(DataAccessException.class)
                .hasMessageContaining("credit_transaction_balanced");
        assertThat(db.sql("select count(*) from credit_transactions where id = :id")
                        .param("id", id)
                        .query(Integer.class)
                        .single())
                .isZero();
    }

    @Test
    void aTransactionWithoutEntriesCannotBeCommitted() {
        UUID org = UUID.randomUUID();
        assertThatThrownBy(() -> tx.executeWithoutResult(s -> db.sql(
                                "insert into credit_transactions (id, org_id, kind, created_at) values (gen_random_uuid(), :org, 'debit', now())")
                        .param("org", org)
                        .update()))
                .isInstanceOf(DataAccessException.class)
                .hasMessageContaining("credit_transaction_balanced");
    }

    @Test
    void entriesAndTransactionsCannotBeUpdatedOrDeleted() {
        UUID org = UUID.randomUUID();
        grant(org, 1_000_000);
        assertThatThrownBy(() -> db.sql("update credit_entries set amount = amount * 2 where org_id = :org")
                        .param("org", org)
                        .update())
                .hasMessageContaining("credit_ledger_append_only");
        assertThatThrownBy(() -> db.sql("delete from credit_entries where org_id = :org")
                        .param("org", org)
                        .update())
                .hasMessageContaining("credit_ledger_append_only");
        assertThatThrownBy(() -> db.sql("update credit_transactions set reason = 'x' where org_id = :org")
                        .param("org", org)
                        .update())
                .hasMessageContaining("credit_ledger_append_only");
        assertThatThrownBy(() -> db.sql("delete from credit_transactions where org_id = :org")
                        .param("org", org)
                        .update())
                .hasMessageContaining("credit_ledger_append_only");
        assertThatThrownBy(() -> db.sql("truncate credit_entries cascade").update())
                .hasMessageContaining("credit_ledger_append_only");
    }

    @Test
    void theCodeRefusesAnUnbalancedPostingBeforeWriting() {
        assertThatThrownBy(() -> Posting.of(
                        UUID.randomUUID(),
                        TransactionKind.DEBIT,
                        List.of(Leg.of(Account.REVENUE, 5), Leg.of(Account.ISSUED, -4)),
                        clock.instant()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void enumsMatchTheChecks() {
        assertThat(CheckConstraints.literals(db, "credit_accounts", "credit_accounts_account_check"))
                .isEqualTo(Arrays.stream(Account.values()).map(Account::wire).collect(Collectors.toSet()));
        assertThat(CheckConstraints.literals(db, "credit_transactions", "credit_transactions_kind_check"))
                .isEqualTo(Arrays.stream(TransactionKind.values())
                        .map(TransactionKind::wire)
                        .collect(Collectors.toSet()));
        assertThat(CheckConstraints.literals(db, "credit_blocks", "credit_blocks_source_check"))
                .containsAll(Arrays.stream(BlockSource.values())
                        .map(BlockSource::wire)
                        .collect(Collectors.toSet()));
    }
}
