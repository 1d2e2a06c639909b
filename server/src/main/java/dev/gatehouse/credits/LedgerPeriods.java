package dev.gatehouse.credits;

import static dev.gatehouse.platform.Timestamps.instant;
import static dev.gatehouse.platform.Timestamps.utc;

import dev.gatehouse.audit.AuditEntry;
import dev.gatehouse.audit.AuditLog;
import dev.gatehouse.credits.Ledger.Posting;
import dev.gatehouse.platform.Caller;
import java.sql.Date;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The monthly close (UTC months). Closing a month snapshots every account's opening, activity and closing balance
 * per organization and makes the month immutable: a database trigger refuses any entry or transaction dated before
 * the end of the latest closed month, so nothing can be added to it (entries were never updatable). Only a month
 * that has ended may be closed. A later correction is a {@code correction} transaction posted now, in the open
 * period, that names the closed month it corrects.
 *
 * <p>The close takes a SHARE lock on the entries and transactions tables before it reads them: it waits for the
 * postings in flight (one dated in the month must be in the snapshot) and holds new ones back until it commits,
 * after which the trigger judges them. Postings are dated by the clock, so outside tests they are in the current
 * month and are never refused. A month's closing balances build on the latest earlier closed month's, so a close
 * reads one month of entries, not the whole history.
 */
@Component
class LedgerPeriods {

    /** A closed month. */
    record Period(
            YearMonth month,
            Instant startsAt,
            Instant endsAt,
            Instant closedAt,
            @Nullable UUID closedBy,
            long transactions,
            long entries,
            String digest) {}

    /** One account's snapshot row. */
    record Balance(UUID org, String account, long opening, long activity, long closing) {}

    /** What one kind of transaction did in the month. */
    record KindTotal(String kind, long transactions, long organizations) {}

    /** A correction of the month posted later. */
    record Correction(
            UUID transaction,
            UUID org,
            long amount,
            @Nullable String reason,
            Instant createdAt) {}

    /**
     * A closed month's report.
     *
     * @param accounts the snapshot summed over organizations, per account
     * @param unchanged whether the month's entries are still exactly those the close saw (count and digest)
     */
    record Report(
            Period period,
            List<Balance> accounts,
            List<KindTotal> kinds,
            List<Correction> corrections,
            boolean unchanged,
            @Nullable List<Balance> organization) {}

    private final Ledger ledger;
    private final Spending spending;
    private final Grants grants;
    private final LowBalance warnings;
    private final AuditLog audit;
    private final JdbcClient db;
    private final TransactionTemplate tx;

    LedgerPeriods(
            Ledger ledger,
            Spending spending,
            Grants grants,
            LowBalance warnings,
            AuditLog audit,
            JdbcClient db,
            TransactionTemplate tx) {
        this.ledger = ledger;
        this.spending = spending;
        this.grants = grants;
        this.warnings = warnings;
        this.audit = audit;
        this.db = db;
        this.tx = tx;
    }

    static Instant start(YearMonth month) {
        return month.atDay(1).atStartOfDay(ZoneOffset.UTC).toInstant();
    }

    static Instant end(YearMonth month) {
        return start(month.plusMonths(1));
    }

    /** Closes the month, or answers it as it is when it was closed already ({@code closedNow} false). */
    record Closed(Period period, boolean closedNow) {}

    Closed close(YearMonth month, @Nullable Caller caller, Instant now) {
        Instant start = start(month);
        Instant end = end(month);
        if (end.isAfter(now)) throw CreditOpsFailures.periodNotEnded(month.toString());
        return java.util.Objects.requireNonNull(tx.execute(s -> {
            // Closes one at a time (the lock conflicts with itself), then holds postings back until commit.
            db.sql("lock table credit_periods in share row exclusive mode").update();
            Period existing = find(month);
            if (existing != null) return new Closed(existing, false);
            db.sql("lock table credit_transactions, credit_entries in share mode")
                    .update();
            Period previous = db.sql("select * from credit_periods where period < :period order by period desc limit 1")
                    .param("period", Date.valueOf(month.atDay(1)))
                    .query(LedgerPeriods::period)
                    .optional()
                    .orElse(null);
            Fingerprint f = fingerprint(start, end);
            db.sql("""
                            insert into credit_periods (period, starts_at, ends_at, closed_at, closed_by, transactions,
                                                        entries, digest)
                            values (:period, :start, :end, :now, :by, :transactions, :entries, :digest)
                            """)
                    .param("period", Date.valueOf(month.atDay(1)))
                    .param("start", utc(start))
                    .param("end", utc(end))
                    .param("now", utc(now))
                    .param("by", caller == null ? null : caller.userId())
                    .param("transactions", f.transactions())
                    .param("entries", f.entries())
                    .param("digest", f.digest())
                    .update();
            // Opening and closing balances: the previous closed month's closing plus the entries since its end.
            db.sql("""
                            insert into credit_period_balances (period, org_id, account, opening, activity, closing)
                            select :period, org_id, account, sum(opening), sum(activity), sum(opening) + sum(activity)
                            from (
                                select org_id, account, closing as opening, 0::bigint as activity
                                from credit_period_balances where period = cast(:previous as date)
                                union all
                                select org_id, account,
                                       coalesce(sum(amount) filter (where created_at < :start), 0),
                                       coalesce(sum(amount) filter (where created_at >= :start), 0)
                                from credit_entries
                                where (cast(:base as timestamptz) is null or created_at >= cast(:base as timestamptz))
                                  and created_at < :end
                                group by org_id, account
                            ) s
                            group by org_id, account
                            having sum(opening) <> 0 or sum(activity) <> 0
                            """)
                    .param("period", Date.valueOf(month.atDay(1)))
                    .param(
                            "previous",
                            previous == null
                                    ? null
                                    : Date.valueOf(previous.month().atDay(1)))
                    .param("base", previous == null ? null : utc(previous.endsAt()))
                    .param("start", utc(start))
                    .param("end", utc(end))
                    .update();
            AuditEntry entry = caller == null
                    ? AuditEntry.system("ledger.period_closed")
                    : AuditEntry.by(caller, "ledger.period_closed");
            audit.record(entry.target("ledger_period", month.toString())
                    .detail("transactions", f.transactions())
                    .detail("entries", f.entries())
                    .detail("digest", f.digest()));
            return new Closed(java.util.Objects.requireNonNull(find(month)), true);
        }));
    }

    /** What the month's entries are now: how many, in how many transactions, and their digest. */
    record Fingerprint(long transactions, long entries, String digest) {}

    Fingerprint fingerprint(Instant start, Instant end) {
        return db.sql("""
                        select count(distinct transaction_id) as transactions, count(*) as entries,
                               md5(coalesce(string_agg(id::text || ':' || amount, ',' order by id), '')) as digest
                        from credit_entries where created_at >= :start and created_at < :end
                        """)
                .param("start", utc(start))
                .param("end", utc(end))
                .query((rs, i) ->
                        new Fingerprint(rs.getLong("transactions"), rs.getLong("entries"), rs.getString("digest")))
                .single();
    }

    @Nullable
    Period find(YearMonth month) {
        return db.sql("select * from credit_periods where period = :period")
                .param("period", Date.valueOf(month.atDay(1)))
                .query(LedgerPeriods::period)
                .optional()
                .orElse(null);
    }

    /** The closed month's report (null when it is not closed), with one organization's snapshot if asked. */
    @Nullable
    Report report(YearMonth month, @Nullable UUID org) {
        Period p = find(month);
        if (p == null) return null;
        Date period = Date.valueOf(month.atDay(1));
        List<Balance> accounts = db.sql("""
                        select account, sum(opening) as opening, sum(activity) as activity, sum(closing) as closing
                        from credit_period_balances where period = :period group by account order by account
                        """)
                .param("period", period)
                .query((rs, i) -> new Balance(
                        new UUID(0, 0),
                        rs.getString("account"),
                        rs.getLong("opening"),
                        rs.getLong("activity"),
                        rs.getLong("closing")))
                .list();
        List<KindTotal> kinds = db.sql("""
                        select kind, count(*) as transactions, count(distinct org_id) as organizations
                        from credit_transactions where created_at >= :start and created_at < :end
                        group by kind order by kind
                        """)
                .param("start", utc(p.startsAt()))
                .param("end", utc(p.endsAt()))
                .query((rs, i) ->
                        new KindTotal(rs.getString("kind"), rs.getLong("transactions"), rs.getLong("organizations")))
                .list();
        List<Correction> corrections = db.sql("""
                        select t.id, t.org_id, t.reason, t.created_at,
                               (select coalesce(sum(e.amount), 0) from credit_entries e
                                where e.transaction_id = t.id and e.account in ('available', 'held')) as amount
                        from credit_period_corrections c join credit_transactions t on t.id = c.transaction_id
                        where c.period = :period order by t.created_at, t.id
                        """)
                .param("period", period)
                .query((rs, i) -> new Correction(
                        rs.getObject("id", UUID.class),
                        rs.getObject("org_id", UUID.class),
                        rs.getLong("amount"),
                        rs.getString("reason"),
                        instant(rs, "created_at")))
                .list();
        Fingerprint now = fingerprint(p.startsAt(), p.endsAt());
        boolean unchanged = now.entries() == p.entries()
                && now.transactions() == p.transactions()
                && now.digest().equals(p.digest());
        List<Balance> organization = org == null ? null : balances(month, org);
        return new Report(p, accounts, kinds, corrections, unchanged, organization);
    }

    /** The snapshot rows of one organization (every organization when null), by organization and account. */
    List<Balance> balances(YearMonth month, @Nullable UUID org) {
        return db.sql("""
                        select * from credit_period_balances
                        where period = :period and (cast(:org as uuid) is null or org_id = :org)
                        order by org_id, account
                        """)
                .param("period", Date.valueOf(month.atDay(1)))
                .param("org", org)
                .query((rs, i) -> new Balance(
                        rs.getObject("org_id", UUID.class),
                        rs.getString("account"),
                        rs.getLong("opening"),
                        rs.getLong("activity"),
                        rs.getLong("closing")))
                .list();
    }

    /**
     * Posts a correction of a closed month in the open period: positive adds a block (source adjustment) from the
     * adjustments account, negative takes from the blocks in spending order (never below zero: 402).
     */
    UUID correct(
            YearMonth month,
            UUID org,
            long amount,
            String reason,
            Caller caller,
            @Nullable String requestId,
            Instant now) {
        return java.util.Objects.requireNonNull(tx.execute(s -> {
            long before = ledger.lock(org);
            if (find(month) == null) throw CreditOpsFailures.periodNotClosed(month.toString());
            Legs legs = new Legs();
            UUID block = null;
            if (amount > 0) {
                block = ledger.openBlock(org, BlockSource.ADJUSTMENT, null, 200, amount, null, now);
                legs.add(Account.ADJUSTMENTS, -amount).add(Account.AVAILABLE, block, amount);
            } else {
                Spending.Position position = spending.position(org, now);
                if (!position.covers(-amount, 0)) {
                    throw CreditFailures.insufficient(position.available(), 0, -amount, null);
                }
                legs.add(Account.ADJUSTMENTS, -amount);
                for (var part : spending.take(org, position, -amount, now)) {
                    legs.add(Account.AVAILABLE, part.getKey(), -part.getValue());
                }
            }
            UUID id = ledger.post(Posting.of(org, TransactionKind.CORRECTION, legs.list(), now)
                    .by(caller.userId(), reason, requestId)
                    .details(Map.of("period", month.toString())));
            if (block != null) {
                ledger.grantedBy(block, id);
                grants.repayOverdraft(org, block, amount, now);
            } else {
                warnings.check(org, before, before + amount, now);
            }
            db.sql("""
                            insert into credit_period_corrections (transaction_id, period, org_id)
                            values (:tx, :period, :org)
                            """)
                    .param("tx", id)
                    .param("period", Date.valueOf(month.atDay(1)))
                    .param("org", org)
                    .update();
            audit.record(AuditEntry.by(caller, "ledger.correction_posted")
                    .target("ledger_period", month.toString())
                    .detail("org", org)
                    .detail("transaction", id)
                    .detail("amount", Micros.pt(amount).toPlainString())
                    .detail("reason", reason));
            return id;
        }));
    }

    private static Period period(java.sql.ResultSet rs, int i) throws java.sql.SQLException {
        LocalDate first = rs.getObject("period", LocalDate.class);
        return new Period(
                YearMonth.from(first),
                instant(rs, "starts_at"),
                instant(rs, "ends_at"),
                instant(rs, "closed_at"),
                rs.getObject("closed_by", UUID.class),
                rs.getLong("transactions"),
                rs.getLong("entries"),
                rs.getString("digest"));
    }
}
