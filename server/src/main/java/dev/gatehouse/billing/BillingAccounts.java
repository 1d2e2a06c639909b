package dev.gatehouse.billing;

import static dev.gatehouse.platform.Timestamps.instant;
import static dev.gatehouse.platform.Timestamps.nullableInstant;
import static dev.gatehouse.platform.Timestamps.utc;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The {@code billing_accounts} table: each organization's Stripe customer, subscription and dunning step. */
@Repository
class BillingAccounts {

    /** Where an organization stands in dunning. */
    enum DunningStage {
        PAST_DUE,
        GRACE,
        SUSPENDED;

        String wire() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

        static @Nullable DunningStage of(@Nullable String wire) {
            return wire == null ? null : valueOf(wire.toUpperCase(java.util.Locale.ROOT));
        }
    }

    record Account(
            UUID orgId,
            @Nullable String customerId,
            @Nullable String subscriptionId,
            @Nullable String stripeStatus,
            @Nullable Instant currentPeriodEnd,
            @Nullable DunningStage dunningStage,
            @Nullable Instant dunningSince) {}

    private final JdbcClient db;

    BillingAccounts(JdbcClient db) {
        this.db = db;
    }

    /**
     * The organization's row, created when missing, locked until the transaction ends: concurrent first checkouts
     * of one organization wait here for the one that creates the customer.
     */
    Account lockOrCreate(UUID orgId, Instant now) {
        db.sql("""
                        insert into billing_accounts (org_id, created_at, updated_at) values (:org, :now, :now)
                        on conflict (org_id) do nothing
                        """).param("org", orgId).param("now", utc(now)).update();
        return lock(orgId).orElseThrow();
    }

    Optional<Account> lock(UUID orgId) {
        return db.sql("select * from billing_accounts where org_id = :org for update")
                .param("org", orgId)
                .query(BillingAccounts::map)
                .optional();
    }

    Optional<Account> find(UUID orgId) {
        return db.sql("select * from billing_accounts where org_id = :org")
                .param("org", orgId)
                .query(BillingAccounts::map)
                .optional();
    }

    Optional<UUID> orgOfCustomer(String customerId) {
        return db.sql("select org_id from billing_accounts where stripe_customer_id = :c")
                .param("c", customerId)
                .query(UUID.class)
                .optional();
    }

    void setCustomer(UUID orgId, String customerId, Instant now) {
        db.sql("update billing_accounts set stripe_customer_id = :c, updated_at = :now where org_id = :org")
                .param("c", customerId)
                .param("now", utc(now))
                .param("org", orgId)
                .update();
    }

    void setSubscription(UUID orgId, String subscriptionId, String status, @Nullable Instant periodEnd, Instant now) {
        db.sql("""
                        update billing_accounts set stripe_subscription_id = :s, stripe_status = :status,
                            current_period_end = :end, updated_at = :now
                        where org_id = :org
                        """)
                .param("s", subscriptionId)
                .param("status", status)
                .param("end", utc(periodEnd))
                .param("now", utc(now))
                .param("org", orgId)
                .update();
    }

    void setDunning(UUID orgId, @Nullable DunningStage stage, Instant now) {
        db.sql("""
                        update billing_accounts set dunning_stage = :stage, dunning_since = :since, updated_at = :now
                        where org_id = :org
                        """)
                .param("stage", stage == null ? null : stage.wire())
                .param("since", stage == null ? null : utc(now))
                .param("now", utc(now))
                .param("org", orgId)
                .update();
    }

    /** Accounts whose dunning step started before {@code startedBefore}, locked; others' claims skipped. */
    List<Account> lockDue(DunningStage stage, Instant startedBefore, int limit) {
        return db.sql("""
                        select * from billing_accounts where dunning_stage = :stage and dunning_since <= :before
                        order by dunning_since limit :limit for update skip locked
                        """)
                .param("stage", stage.wire())
                .param("before", utc(startedBefore))
                .param("limit", limit)
                .query(BillingAccounts::map)
                .list();
    }

    private static Account map(ResultSet rs, int n) throws SQLException {
        return new Account(
                rs.getObject("org_id", UUID.class),
                rs.getString("stripe_customer_id"),
                rs.getString("stripe_subscription_id"),
                rs.getString("stripe_status"),
                nullableInstant(rs, "current_period_end"),
                DunningStage.of(rs.getString("dunning_stage")),
                nullableInstant(rs, "dunning_since"));
    }

    static Instant created(ResultSet rs) throws SQLException {
        return instant(rs, "created_at");
    }
}
