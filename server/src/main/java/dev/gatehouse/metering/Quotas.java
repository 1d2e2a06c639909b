package dev.gatehouse.metering;

import dev.gatehouse.catalog.Aggregation;
import dev.gatehouse.catalog.Limit;
import dev.gatehouse.catalog.Meter;
import dev.gatehouse.catalog.Period;
import dev.gatehouse.metering.QuotaConsumptions.CallerKey;
import dev.gatehouse.metering.QuotaConsumptions.Stored;
import dev.gatehouse.metering.UsageTotals.Row;
import dev.gatehouse.metering.UsageTotals.Totals;
import dev.gatehouse.platform.BatchLanes;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.dao.PessimisticLockingFailureException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Quota consumption: an atomic check-and-increment of an organization's usage of a meter against its plan's
 * limit, exact on any number of nodes.
 *
 * <p><b>Exactness.</b> A consumption is decided while its transaction holds the row lock of the organization's
 * {@code usage_totals} row for the limit's period (day or month), on whatever node it runs; the amount is added
 * to that row in the same transaction. Ingest adds events to the same rows under the same locks, so no write
 * can slip between a decision's read and its increment, and the sum of admitted amounts can never pass the
 * limit.
 *
 * <p><b>Throughput on one busy organization.</b> Consumptions are decided in batches ({@link BatchLanes}: group
 * commit in the application), in lanes by organization and meter: one transaction locks the rows of every request
 * in its batch (in the one order ingest uses too, so no deadlock), decides each in arrival order, writes the sums
 * and the Idempotency-Key records, and commits once. A batch that fails is decided again request by request, so
 * one request cannot fail others.
 *
 * <p><b>Idempotency-Key.</b> Kept here, not by the platform's filter ({@code KEPT_WITH_THE_EFFECT}): the answer
 * is stored in {@code quota_consumptions} in the transaction that admitted the amount, so a retry after any
 * failure finds either both or neither. The same key with another request answers 422
 * {@code idempotency_key_reused}; a duplicate arriving while the first is decided waits for it and gets its
 * answer, marked as a replay.
 */
@Service
class Quotas {

    private static final int ALONE_ATTEMPTS = 3;

    private final UsageTotals totals;
    private final QuotaConsumptions consumptions;
    private final UsageAlerts alerts;
    private final TransactionTemplate tx;
    private final Clock clock;
    private final BatchLanes<Pending> lanes;
    private final Counter allowed;
    private final Counter refused;
    private final Counter replayed;
    private final DistributionSummary batchSizes;

    Quotas(
            UsageTotals totals,
            QuotaConsumptions consumptions,
            UsageAlerts alerts,
            TransactionTemplate tx,
            MeteringSettings settings,
            Clock clock,
            MeterRegistry meters) {
        this.totals = totals;
        this.consumptions = consumptions;
        this.alerts = alerts;
        this.tx = tx;
        this.clock = clock;
        this.lanes = new BatchLanes<>(settings.consumeLanes(), settings.consumeBatch(), this::decide);
        this.allowed = outcome(meters, "allowed");
        this.refused = outcome(meters, "refused");
        this.replayed = outcome(meters, "replayed");
        this.batchSizes = DistributionSummary.builder("gatehouse.quota.batch.size")
                .description("Quota consumptions decided per transaction")
                .register(meters);
    }

    private static Counter outcome(MeterRegistry meters, String outcome) {
        return Counter.builder("gatehouse.quota.consumptions")
                .description("Quota consumptions by outcome")
                .tag("outcome", outcome)
                .register(meters);
    }

    /**
     * One consumption, checked and ready.
     *
     * @param caller who asked (an Idempotency-Key is the caller's own)
     * @param limit the organization's limit on the meter; null when its plan sets none (or an unlimited one)
     * @param kept the periods the meter's totals are kept for ({@link Periods#kept}); each is counted
     */
    record Request(
            UUID caller,
            UUID org,
            Meter meter,
            BigDecimal amount,
            @Nullable Limit limit,
            Set<Period> kept,
            @Nullable String idempotencyKey) {

        Request {
            if (limit != null && (limit.unlimited() || !kept.contains(limit.period()))) {
                throw new IllegalArgumentException("a limit is counted in one of the kept periods");
            }
        }

        byte[] fingerprint() {
            try {
                return MessageDigest.getInstance("SHA-256")
                        .digest((org + "\n" + meter.key() + "\n" + amount.toPlainString())
                                .getBytes(StandardCharsets.UTF_8));
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("every JDK ships SHA-256", e);
            }
        }
    }

    /** How a consumption ended. */
    sealed interface Outcome {
        /** Decided now, or earlier under the same Idempotency-Key ({@code replayed}). */
        record Decided(Decision decision, boolean replayed) implements Outcome {}

        /** The Idempotency-Key was used with another request. */
        record KeyReused() implements Outcome {}

        /** The decision could not be made (PostgreSQL unreachable, ...); nothing was counted. */
        record Failed(RuntimeException cause) implements Outcome {}
    }

    /** Decides the consumption, batched with others waiting for the same lane; returns once it is committed. */
    Outcome consume(Request request) {
        Pending pending = new Pending(request);
        lanes.submit(Objects.hash(request.org(), request.meter().key()), pending);
        Outcome outcome = pending.outcome;
        if (outcome == null) throw new IllegalStateException("a consumption was left undecided");
        return outcome;
    }

    /** A request waiting in a lane, and its outcome once decided. */
    private static final class Pending {
        final Request request;
        final byte[] fingerprint;
        volatile @Nullable Outcome outcome;

        Pending(Request request) {
            this.request = request;
            this.fingerprint = request.fingerprint();
        }

        @Nullable
        CallerKey key() {
            String key = request.idempotencyKey();
            return key == null ? null : new CallerKey(request.caller(), key);
        }

        void complete(Outcome o) {
            outcome = o;
        }
    }

    /** Decides a batch in one transaction; if that fails, each of its requests alone, so one cannot fail others. */
    private void decide(List<Pending> batch) {
        batchSizes.record(batch.size());
        try {
            complete(decideInTransaction(batch));
        } catch (KeyTaken | PessimisticLockingFailureException e) {
            for (Pending p : batch) decideAlone(p);
        } catch (RuntimeException e) {
            if (batch.size() == 1) {
                batch.getFirst().complete(new Outcome.Failed(e));
            } else {
                for (Pending p : batch) decideAlone(p);
            }
        }
    }

    private void decideAlone(Pending p) {
        for (int attempt = 1; ; attempt++) {
            try {
                complete(decideInTransaction(List.of(p)));
                return;
            } catch (KeyTaken | PessimisticLockingFailureException e) {
                // Another transaction stored this key or won a deadlock; the next attempt sees its result.
                if (attempt == ALONE_ATTEMPTS) {
                    p.complete(new Outcome.Failed(e));
                    return;
                }
            } catch (RuntimeException e) {
                p.complete(new Outcome.Failed(e));
                return;
            }
        }
    }

    private void complete(Map<Pending, Outcome> outcomes) {
        outcomes.forEach((p, outcome) -> {
            if (outcome instanceof Outcome.Decided d) {
                (d.replayed() ? replayed : d.decision().allowed() ? allowed : refused).increment();
            }
            p.complete(outcome);
        });
    }

    /** An Idempotency-Key was stored by a concurrent transaction after this one looked for it. */
    private static final class KeyTaken extends RuntimeException {
        KeyTaken() {
            super(null, null, /* enableSuppression= */ false, /* writableStackTrace= */ false);
        }
    }

    private Map<Pending, Outcome> decideInTransaction(List<Pending> batch) {
        Map<Pending, Outcome> outcomes = tx.execute(status -> decideLocked(batch));
        if (outcomes == null) throw new IllegalStateException("the transaction returned nothing");
        return outcomes;
    }

    private Map<Pending, Outcome> decideLocked(List<Pending> batch) {
        Instant now = clock.instant();
        Map<Pending, Outcome> outcomes = new IdentityHashMap<>();

        // Replays first: keys stored earlier, and keys repeated within this batch (those follow the first).
        List<CallerKey> keys = batch.stream()
                .map(Pending::key)
                .filter(Objects::nonNull)
                .distinct()
                .toList();
        Map<CallerKey, Stored> stored = consumptions.find(keys);
        Map<CallerKey, Pending> firstWithKey = new HashMap<>();
        Map<Pending, Pending> followers = new IdentityHashMap<>();
        List<Pending> toDecide = new ArrayList<>();
        for (Pending p : batch) {
            CallerKey key = p.key();
            if (key == null) {
                toDecide.add(p);
            } else if (stored.containsKey(key)) {
                Stored s = stored.get(key);
                outcomes.put(
                        p,
                        MessageDigest.isEqual(s.fingerprint(), p.fingerprint)
                                ? new Outcome.Decided(s.decision(), true)
                                : new Outcome.KeyReused());
            } else {
                Pending first = firstWithKey.putIfAbsent(key, p);
                if (first == null) toDecide.add(p);
                else followers.put(p, first);
            }
        }

        // Lock the current rows (hour, day, month) of every organization and meter in the batch, and read them.
        List<Row> rows = new ArrayList<>();
        for (Pending p : toDecide) {
            for (Period period : p.request.kept()) rows.add(row(p, period, now));
        }
        Map<Row, BigDecimal> running = new HashMap<>();
        Map<Row, BigDecimal> atLock = new HashMap<>();
        if (!rows.isEmpty()) {
            Map<String, Aggregation> aggregations = new HashMap<>();
            for (Pending p : toDecide) {
                aggregations.put(p.request.meter().key(), p.request.meter().aggregation());
            }
            for (Totals t : totals.lock(rows)) {
                BigDecimal figure = t.figure(aggregations.get(t.row().meter()));
                running.put(t.row(), figure == null ? BigDecimal.ZERO : figure);
            }
            atLock.putAll(running);
        }

        // Decide in arrival order against the running figures.
        Map<Row, BigDecimal> added = new LinkedHashMap<>();
        List<QuotaConsumptions.New> records = new ArrayList<>();
        Map<Row, Limit> limited = new LinkedHashMap<>();
        for (Pending p : toDecide) {
            Request r = p.request;
            Limit limit = r.limit();
            BigDecimal max = limit == null ? null : Periods.max(limit);
            Row counted = row(p, limit == null ? Period.MONTH : limit.period(), now);
            BigDecimal used = running.get(counted);
            boolean ok = max == null || used.add(r.amount()).compareTo(max) <= 0;
            if (ok) {
                for (Period period : r.kept()) {
                    Row each = row(p, period, now);
                    running.merge(each, r.amount(), BigDecimal::add);
                    added.merge(each, r.amount(), BigDecimal::add);
                }
                used = used.add(r.amount());
            }
            if (limit != null) limited.put(counted, limit);
            Decision decision = new Decision(
                    r.meter().key(),
                    ok,
                    Amounts.plain(used),
                    max == null ? null : Amounts.plain(max),
                    limit == null ? null : Periods.resetsAt(limit.period(), now));
            outcomes.put(p, new Outcome.Decided(decision, false));
            CallerKey key = p.key();
            if (key != null) {
                records.add(new QuotaConsumptions.New(key, p.fingerprint, r.org(), r.amount(), decision));
            }
        }
        followers.forEach((p, first) -> {
            Outcome firstOutcome = outcomes.get(first);
            outcomes.put(
                    p,
                    MessageDigest.isEqual(first.fingerprint, p.fingerprint) && firstOutcome instanceof Outcome.Decided d
                            ? new Outcome.Decided(d.decision(), true)
                            : new Outcome.KeyReused());
        });

        if (!added.isEmpty()) totals.addConsumed(List.copyOf(added.keySet()), List.copyOf(added.values()));
        if (!records.isEmpty() && consumptions.insert(records, now) != records.size()) throw new KeyTaken();
        List<UsageAlerts.Reading> readings = new ArrayList<>();
        limited.forEach((row, limit) -> {
            BigDecimal before = atLock.get(row);
            BigDecimal after = running.get(row);
            if (after.compareTo(before) > 0) {
                readings.add(new UsageAlerts.Reading(row.org(), limit, row.start(), before, after));
            }
        });
        if (!readings.isEmpty()) alerts.check(readings, now);
        return outcomes;
    }

    private static Row row(Pending p, Period period, Instant now) {
        return new Row(p.request.org(), p.request.meter().key(), period, Periods.start(period, now));
    }
}
