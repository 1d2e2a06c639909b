package dev.gatehouse.credits;

import static dev.gatehouse.platform.Timestamps.instant;
import static dev.gatehouse.platform.Timestamps.nullableInstant;
import static dev.gatehouse.platform.Timestamps.utc;

import dev.gatehouse.audit.AuditEntry;
import dev.gatehouse.audit.AuditLog;
import dev.gatehouse.jobs.JobType;
import dev.gatehouse.jobs.Jobs;
import dev.gatehouse.platform.Caller;
import dev.gatehouse.platform.Keyset;
import dev.gatehouse.platform.Page;
import dev.gatehouse.platform.PageCursor;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.sql.Date;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Reconciliation of the ledger against a provider's usage. An import is parsed and checked whole first (a bad
 * file is refused with its line numbers and nothing is stored); its rows, the reconciliation and its job are then
 * stored in one transaction, so an import exists completely or not at all. The job compares, per day (UTC), model
 * and organization, the provider's tokens with what the ledger's settles and debits recorded (their usage details)
 * and charged, and records every group with its status, a chunk of groups per transaction so that the progress
 * ({@code groups_done} of {@code groups_total}) can be followed. A retried job starts the comparison over.
 */
@Component
class Reconciliations {

    /** The job that runs a reconciliation's comparison. */
    record Run(UUID reconciliation) {}

    static final JobType<Run> TYPE = JobType.of("credits.reconcile", Run.class);

    /** Groups written per transaction (one progress step). */
    static final int CHUNK = 500;

    record Reconciliation(
            UUID id,
            String provider,
            String format,
            String state,
            BigDecimal tolerancePercent,
            long toleranceTokens,
            LocalDate firstDay,
            LocalDate lastDay,
            int rows,
            int groupsTotal,
            int groupsDone,
            @Nullable Integer discrepancies,
            @Nullable UUID job,
            Instant createdAt,
            @Nullable Instant startedAt,
            @Nullable Instant finishedAt,
            @Nullable String error) {}

    /** One (day, model, organization) compared. */
    record Group(
            LocalDate day,
            String model,
            UUID org,
            long providerTokens,
            BigDecimal providerCost,
            long ledgerTokens,
            long ledgerCredits,
            String status) {

        long difference() {
            return providerTokens - ledgerTokens;
        }
    }

    private static Reconciliation row(java.sql.ResultSet rs, int i) throws java.sql.SQLException {
        return new Reconciliation(
                rs.getObject("id", UUID.class),
                rs.getString("provider"),
                rs.getString("format"),
                rs.getString("state"),
                rs.getBigDecimal("tolerance_percent"),
                rs.getLong("tolerance_tokens"),
                rs.getObject("first_day", LocalDate.class),
                rs.getObject("last_day", LocalDate.class),
                rs.getInt("rows"),
                rs.getInt("groups_total"),
                rs.getInt("groups_done"),
                rs.getObject("discrepancies", Integer.class),
                rs.getObject("job_id", UUID.class),
                instant(rs, "created_at"),
                nullableInstant(rs, "started_at"),
                nullableInstant(rs, "finished_at"),
                rs.getString("error"));
    }

    private static final Keyset<Reconciliation> NEWEST_FIRST =
            Keyset.newestFirst("created_at", "id", Reconciliations::row, r -> new PageCursor(r.createdAt(), r.id()));

    private final JdbcClient db;
    private final TransactionTemplate tx;
    private final Jobs jobs;
    private final AuditLog audit;

    Reconciliations(JdbcClient db, TransactionTemplate tx, Jobs jobs, AuditLog audit) {
        this.db = db;
        this.tx = tx;
        this.jobs = jobs;
        this.audit = audit;
    }

    /** Stores a parsed import and queues its comparison, all in one transaction. */
    Reconciliation create(
            String provider,
            String format,
            List<ProviderUsage.Row> rows,
            BigDecimal tolerancePercent,
            long toleranceTokens,
            Caller caller,
            Instant now) {
        LocalDate first = rows.stream()
                .map(ProviderUsage.Row::day)
                .min(Comparator.naturalOrder())
                .orElseThrow();
        LocalDate last = rows.stream()
                .map(ProviderUsage.Row::day)
                .max(Comparator.naturalOrder())
                .orElseThrow();
        UUID id = UUID.randomUUID();
        return java.util.Objects.requireNonNull(tx.execute(s -> {
            db.sql("""
                            insert into credit_reconciliations (id, provider, format, state, tolerance_percent,
                                                                tolerance_tokens, first_day, last_day, rows,
                                                                created_by, created_at)
                            values (:id, :provider, :format, 'queued', :percent, :tokens, :first, :last, :rows, :by,
                                    :now)
                            """)
                    .param("id", id)
                    .param("provider", provider)
                    .param("format", format)
                    .param("percent", tolerancePercent)
                    .param("tokens", toleranceTokens)
                    .param("first", Date.valueOf(first))
                    .param("last", Date.valueOf(last))
                    .param("rows", rows.size())
                    .param("by", caller.userId())
                    .param("now", utc(now))
                    .update();
            for (int from = 0; from < rows.size(); from += 1000) {
                List<ProviderUsage.Row> batch = rows.subList(from, Math.min(rows.size(), from + 1000));
                db.sql("""
                                insert into credit_reconciliation_rows (reconciliation_id, line, day, model, org_id,
                                                                        tokens, cost)
                                select :id, l, d, m, o, t, c
                                from unnest(cast(:lines as integer[]), cast(:days as date[]), cast(:models as text[]),
                                            cast(:orgs as uuid[]), cast(:tokens as bigint[]),
                                            cast(:costs as numeric[])) as u (l, d, m, o, t, c)
                                """)
                        .param("id", id)
                        .param(
                                "lines",
                                batch.stream().map(ProviderUsage.Row::line).toArray(Integer[]::new))
                        .param(
                                "days",
                                batch.stream().map(r -> r.day().toString()).toArray(String[]::new))
                        .param(
                                "models",
                                batch.stream().map(ProviderUsage.Row::model).toArray(String[]::new))
                        .param(
                                "orgs",
                                batch.stream().map(r -> r.org().toString()).toArray(String[]::new))
                        .param(
                                "tokens",
                                batch.stream().map(ProviderUsage.Row::tokens).toArray(Long[]::new))
                        .param(
                                "costs",
                                batch.stream()
                                        .map(r -> r.cost().toPlainString())
                                        .toArray(String[]::new))
                        .update();
            }
            UUID job = jobs.enqueue(TYPE, new Run(id), caller.userId());
            db.sql("update credit_reconciliations set job_id = :job where id = :id")
                    .param("job", job)
                    .param("id", id)
                    .update();
            audit.record(AuditEntry.by(caller, "credits.reconciliation_imported")
                    .target("credit_reconciliation", id)
                    .detail("provider", provider)
                    .detail("format", format)
                    .detail("rows", rows.size())
                    .detail("first_day", first.toString())
                    .detail("last_day", last.toString()));
            return find(id);
        }));
    }

    @Nullable
    Reconciliation find(UUID id) {
        return db.sql("select * from credit_reconciliations where id = :id")
                .param("id", id)
                .query(Reconciliations::row)
                .optional()
                .orElse(null);
    }

    Page<Reconciliation> list(@Nullable PageCursor after, int limit) {
        return NEWEST_FIRST.fetch(
                after, limit, tail -> db.sql("select * from credit_reconciliations where true" + tail));
    }

    /** The compared groups: only discrepancies unless {@code all}, by day, model and organization. */
    List<Group> groups(UUID id, boolean all) {
        return db.sql("""
                        select * from credit_reconciliation_groups
                        where reconciliation_id = :id and (:all or status <> 'match')
                        order by day, model, org_id
                        """)
                .param("id", id)
                .param("all", all)
                .query((rs, i) -> new Group(
                        rs.getObject("day", LocalDate.class),
                        rs.getString("model"),
                        rs.getObject("org_id", UUID.class),
                        rs.getLong("provider_tokens"),
                        rs.getBigDecimal("provider_cost"),
                        rs.getLong("ledger_tokens"),
                        rs.getLong("ledger_credits"),
                        rs.getString("status")))
                .list();
    }

    private record Key(LocalDate day, String model, UUID org) implements Comparable<Key> {
        @Override
        public int compareTo(Key o) {
            return Comparator.comparing(Key::day)
                    .thenComparing(Key::model)
                    .thenComparing(Key::org)
                    .compare(this, o);
        }
    }

    static final class Sides {
        long providerTokens;
        BigDecimal providerCost = BigDecimal.ZERO;
        boolean atProvider;
        long ledgerTokens;
        long ledgerCredits;
        boolean inLedger;
    }

    /** Runs (or runs again) the comparison; a reconciliation that completed already is left as it is. */
    void run(UUID id, Instant now) {
        Reconciliation r = find(id);
        if (r == null || r.state().equals("completed") || r.state().equals("failed")) return;
        Map<Key, Sides> groups = new TreeMap<>();
        db.sql("""
                        select day, model, org_id, sum(tokens) as tokens, sum(cost) as cost
                        from credit_reconciliation_rows where reconciliation_id = :id group by day, model, org_id
                        """).param("id", id).query(rs -> {
            Sides s = groups.computeIfAbsent(
                    new Key(
                            rs.getObject("day", LocalDate.class),
                            rs.getString("model"),
                            rs.getObject("org_id", UUID.class)),
                    k -> new Sides());
            s.providerTokens = rs.getLong("tokens");
            s.providerCost = rs.getBigDecimal("cost");
            s.atProvider = true;
        });
        // The ledger's side: settles and debits with a model in their usage details, by their UTC day.
        db.sql("""
                        select (t.created_at at time zone 'UTC')::date as day, t.details ->> 'model' as model, t.org_id,
                               sum(coalesce((t.details ->> 'input_tokens')::bigint, 0)
                                   + coalesce((t.details ->> 'output_tokens')::bigint, 0)) as tokens,
                               sum(e.amount) as credits
                        from credit_transactions t
                        join credit_entries e on e.transaction_id = t.id and e.account = 'revenue'
                        where t.kind in ('settle', 'debit') and t.details ->> 'model' is not null
                          and t.created_at >= :from and t.created_at < :to
                        group by 1, 2, 3
                        """)
                .param("from", utc(r.firstDay().atStartOfDay(ZoneOffset.UTC).toInstant()))
                .param(
                        "to",
                        utc(r.lastDay().plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant()))
                .query(rs -> {
                    Sides s = groups.computeIfAbsent(
                            new Key(
                                    rs.getObject("day", LocalDate.class),
                                    rs.getString("model"),
                                    rs.getObject("org_id", UUID.class)),
                            k -> new Sides());
                    s.ledgerTokens = rs.getLong("tokens");
                    s.ledgerCredits = rs.getLong("credits");
                    s.inLedger = true;
                });
        List<Group> compared = new ArrayList<>(groups.size());
        groups.forEach((k, s) -> compared.add(new Group(
                k.day(),
                k.model(),
                k.org(),
                s.providerTokens,
                s.providerCost,
                s.ledgerTokens,
                s.ledgerCredits,
                status(s, r.tolerancePercent(), r.toleranceTokens()))));
        tx.executeWithoutResult(s -> {
            db.sql("delete from credit_reconciliation_groups where reconciliation_id = :id")
                    .param("id", id)
                    .update();
            db.sql("""
                            update credit_reconciliations
                            set state = 'running', started_at = coalesce(started_at, :now), groups_total = :total,
                                groups_done = 0
                            where id = :id
                            """)
                    .param("now", utc(now))
                    .param("total", compared.size())
                    .param("id", id)
                    .update();
        });
        for (int from = 0; from < compared.size(); from += CHUNK) {
            List<Group> chunk = compared.subList(from, Math.min(compared.size(), from + CHUNK));
            int done = from + chunk.size();
            tx.executeWithoutResult(s -> {
                db.sql("""
                                insert into credit_reconciliation_groups (reconciliation_id, day, model, org_id,
                                    provider_tokens, provider_cost, ledger_tokens, ledger_credits, status)
                                select :id, d, m, o, pt, pc, lt, lc, st
                                from unnest(cast(:days as date[]), cast(:models as text[]), cast(:orgs as uuid[]),
                                            cast(:pt as bigint[]), cast(:pc as numeric[]), cast(:lt as bigint[]),
                                            cast(:lc as bigint[]), cast(:st as text[])) as u (d, m, o, pt, pc, lt, lc, st)
                                """)
                        .param("id", id)
                        .param(
                                "days",
                                chunk.stream().map(g -> g.day().toString()).toArray(String[]::new))
                        .param("models", chunk.stream().map(Group::model).toArray(String[]::new))
                        .param(
                                "orgs",
                                chunk.stream().map(g -> g.org().toString()).toArray(String[]::new))
                        .param("pt", chunk.stream().map(Group::providerTokens).toArray(Long[]::new))
                        .param(
                                "pc",
                                chunk.stream()
                                        .map(g -> g.providerCost().toPlainString())
                                        .toArray(String[]::new))
                        .param("lt", chunk.stream().map(Group::ledgerTokens).toArray(Long[]::new))
                        .param("lc", chunk.stream().map(Group::ledgerCredits).toArray(Long[]::new))
                        .param("st", chunk.stream().map(Group::status).toArray(String[]::new))
                        .update();
                db.sql("update credit_reconciliations set groups_done = :done where id = :id")
                        .param("done", done)
                        .param("id", id)
                        .update();
            });
        }
        long discrepancies =
                compared.stream().filter(g -> !g.status().equals("match")).count();
        db.sql("""
                        update credit_reconciliations set state = 'completed', finished_at = :now,
                                                          discrepancies = :discrepancies
                        where id = :id and state = 'running'
                        """)
                .param("now", utc(now))
                .param("discrepancies", discrepancies)
                .param("id", id)
                .update();
    }

    /** Marks a reconciliation whose job gave up as failed. */
    void failed(UUID id, String error, Instant now) {
        db.sql("""
                        update credit_reconciliations set state = 'failed', finished_at = :now, error = :error
                        where id = :id and state in ('queued', 'running')
                        """).param("now", utc(now)).param("error", error).param("id", id).update();
    }

    /**
     * A group's status: within tolerance when its tokens differ by at most max(tolerance tokens, tolerance percent
     * of the larger side, rounded up); otherwise named for the side that has nothing, or a mismatch.
     */
    static String status(Sides s, BigDecimal percent, long tokens) {
        long larger = Math.max(s.providerTokens, s.ledgerTokens);
        long byPercent = percent.multiply(BigDecimal.valueOf(larger))
                .divide(BigDecimal.valueOf(100), 0, RoundingMode.CEILING)
                .longValueExact();
        long allowed = Math.max(tokens, byPercent);
        if (Math.abs(s.providerTokens - s.ledgerTokens) <= allowed) return "match";
        if (!s.inLedger) return "missing_in_ledger";
        if (!s.atProvider) return "missing_at_provider";
        return "mismatch";
    }
}
