package dev.gatehouse.metering;

import dev.gatehouse.catalog.Aggregation;
import dev.gatehouse.catalog.Catalog;
import dev.gatehouse.catalog.CatalogVersion;
import dev.gatehouse.catalog.Limit;
import dev.gatehouse.catalog.Meter;
import dev.gatehouse.catalog.Period;
import dev.gatehouse.metering.UsageEvents.Checked;
import dev.gatehouse.metering.UsageEvents.Key;
import dev.gatehouse.metering.UsageRequests.Answer;
import dev.gatehouse.metering.UsageRequests.EventInput;
import dev.gatehouse.metering.UsageRequests.Result;
import dev.gatehouse.metering.UsageTotals.Delta;
import dev.gatehouse.metering.UsageTotals.Row;
import dev.gatehouse.metering.UsageTotals.Totals;
import dev.gatehouse.metering.UsageUniques.Seen;
import dev.gatehouse.subscription.SubscriptionDirectory;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;
import org.springframework.dao.PessimisticLockingFailureException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Ingests a batch of usage events: each is checked on its own (a bad one is rejected with its reason and the
 * rest still count), then every good one is stored and counted in one transaction, and only then answered.
 * So nothing acknowledged can be lost, and nothing is counted without its event row.
 *
 * <p>Per batch, PostgreSQL sees three statements however many events it holds: one {@code COPY} of all the events
 * into their table (falling back to an insert that skips stored ids when one is a duplicate: see
 * {@link UsageEvents}), one upsert of the day and month totals the new events add to, and, for unique_count meters,
 * one insert of the values seen. Rows go in a fixed order, so concurrent batches never deadlock; the totals are
 * written last, so their row locks are held only until the commit.
 */
@Service
class UsageIngest {

    static final int MAX_ID = 128;
    static final int MAX_PROPERTIES = 20;
    static final int MAX_PROPERTY_KEY = 64;
    static final int MAX_PROPERTY_STRING = 256;
    /** Values keep at most 18 digits before the point and 9 after: exact sums far beyond any real usage. */
    static final int MAX_INTEGER_DIGITS = 18;

    static final int MAX_FRACTION_DIGITS = 9;

    private static final int ATTEMPTS = 3;
    /** By organization, then id: one order for every batch (see {@link UsageEvents#insertNew}). */
    private static final Comparator<Checked> STORAGE_ORDER = (a, b) -> {
        int byOrg = a.org().compareTo(b.org());
        return byOrg != 0 ? byOrg : a.id().compareTo(b.id());
    };

    private final UsageEvents events;
    private final UsageTotals totals;
    private final UsageUniques uniques;
    private final UsageAlerts alerts;
    private final Catalog catalog;
    private final SubscriptionDirectory subscriptions;
    private final MeteringSettings settings;
    private final TransactionTemplate tx;
    private final Clock clock;
    private final Counter accepted;
    private final Counter duplicates;
    private final Counter rejected;

    UsageIngest(
            UsageEvents events,
            UsageTotals totals,
            UsageUniques uniques,
            UsageAlerts alerts,
            Catalog catalog,
            SubscriptionDirectory subscriptions,
            MeteringSettings settings,
            TransactionTemplate tx,
            Clock clock,
            MeterRegistry meters) {
        this.events = events;
        this.totals = totals;
        this.uniques = uniques;
        this.alerts = alerts;
        this.catalog = catalog;
        this.subscriptions = subscriptions;
        this.settings = settings;
        this.tx = tx;
        this.clock = clock;
        this.accepted = outcome(meters, "accepted");
        this.duplicates = outcome(meters, "duplicate");
        this.rejected = outcome(meters, "rejected");
    }

    private static Counter outcome(MeterRegistry meters, String outcome) {
        return Counter.builder("gatehouse.usage.events")
                .description("Usage events received, by outcome")
                .tag("outcome", outcome)
                .register(meters);
    }

    /**
     * Checks, stores and counts the events.
     *
     * @param allowedOrg the only organization the caller may send usage for (an org API key's), or null for any
     */
    Answer ingest(List<EventInput> inputs, @Nullable UUID allowedOrg) {
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        CatalogVersion meters = catalog.current();
        PropertiesJson json = new PropertiesJson();
        Result[] results = new Result[inputs.size()];
        Map<Key, Checked> unique = new LinkedHashMap<>();
        for (int i = 0; i < inputs.size(); i++) {
            EventInput input = inputs.get(i);
            Object checked = check(i, input, now, allowedOrg, meters, json);
            if (checked instanceof Result refused) {
                results[i] = refused;
            } else if (checked instanceof Checked event && unique.putIfAbsent(event.key(), event) != null) {
                results[i] = Result.duplicate(event.id()); // the same id earlier in this batch
            }
        }
        List<Checked> fresh = unique.values().stream().sorted(STORAGE_ORDER).toList();
        UsageEvents.Stored stored = fresh.isEmpty() ? UsageEvents.Stored.ALL : store(fresh, now, meters);
        for (Checked event : fresh) {
            results[event.index()] =
                    stored.contains(event.key()) ? Result.accepted(event.id()) : Result.duplicate(event.id());
        }
        int ok = 0;
        int dup = 0;
        int bad = 0;
        for (Result r : results) {
            switch (r.status()) {
                case ACCEPTED -> ok++;
                case DUPLICATE -> dup++;
                case REJECTED -> bad++;
            }
        }
        accepted.increment(ok);
        duplicates.increment(dup);
        rejected.increment(bad);
        return new Answer(ok, dup, bad, List.of(results));
    }

    /** Stores and counts the batch; retried whole if PostgreSQL picked it as a deadlock victim all the same. */
    private UsageEvents.Stored store(List<Checked> batch, Instant now, CatalogVersion meters) {
        for (int attempt = 1; ; attempt++) {
            try {
                UsageEvents.Stored stored = tx.execute(status -> storeInTransaction(batch, now, meters));
                if (stored == null) throw new IllegalStateException("the transaction returned nothing");
                return stored;
            } catch (PessimisticLockingFailureException e) {
                if (attempt == ATTEMPTS) throw e;
            }
        }
    }

    private UsageEvents.Stored storeInTransaction(List<Checked> batch, Instant now, CatalogVersion meters) {
        UsageEvents.Stored stored = events.insertNew(batch, now);
        if (stored.none()) return stored;
        Map<Row, Delta> deltas = new HashMap<>();
        List<Seen> seen = new ArrayList<>();
        Map<String, Set<Period>> kept = new HashMap<>();
        for (Checked e : batch) {
            if (!stored.contains(e.key())) continue;
            for (Period period : kept.computeIfAbsent(e.meter(), m -> Periods.kept(m, meters))) {
                Row row = new Row(e.org(), e.meter(), period, Periods.start(period, e.occurredAt()));
                deltas.merge(
                        row,
                        new Delta(row, 1, e.value(), e.value(), e.occurredAt(), e.value()),
                        (a, b) -> combine(a, b));
            }
            if (e.unique() != null) seen.add(new Seen(e.org(), e.meter(), e.day(), e.unique()));
        }
        List<Totals> after = totals.addEvents(List.copyOf(deltas.values()));
        if (!seen.isEmpty()) uniques.add(seen);
        alerts.check(readings(after, deltas, meters), now);
        return stored;
    }

    /**
     * Two deltas of one row. For latest, the later timestamp wins, and on a tie the event stored later, which
     * (sorted by id) is as good as any fixed rule: the batch has no other order that every node would agree on.
     */
    private static Delta combine(Delta a, Delta b) {
        boolean bLater = b.latestAt().compareTo(a.latestAt()) >= 0;
        return new Delta(
                a.row(),
                a.events() + b.events(),
                a.valueSum().add(b.valueSum()),
                a.valueMax().max(b.valueMax()),
                bLater ? b.latestAt() : a.latestAt(),
                bLater ? b.latestValue() : a.latestValue());
    }

    /** The alert readings of the rows just written that carry a limit of the organization's plan. */
    private List<UsageAlerts.Reading> readings(List<Totals> after, Map<Row, Delta> deltas, CatalogVersion meters) {
        List<UsageAlerts.Reading> readings = new ArrayList<>();
        for (Totals t : after) {
            Row row = t.row();
            Meter meter = meters.meter(row.meter()).orElse(null);
            Limit limit = subscriptions.planOf(row.org()).limit(row.meter()).orElse(null);
            if (meter == null || limit == null || limit.unlimited()) continue;
            Aggregation aggregation = meter.aggregation();
            BigDecimal figure = t.figure(aggregation);
            if (figure == null) continue; // unique_count limits are shown, not alerted on
            if (Periods.additive(aggregation) && limit.period() == row.period()) {
                Delta delta = deltas.get(row);
                BigDecimal added =
                        aggregation == Aggregation.COUNT ? BigDecimal.valueOf(delta.events()) : delta.valueSum();
                readings.add(new UsageAlerts.Reading(row.org(), limit, row.start(), figure.subtract(added), figure));
            } else if (!Periods.additive(aggregation)
                    && limit.period() == Period.NONE
                    && row.period() == Period.MONTH) {
                readings.add(new UsageAlerts.Reading(row.org(), limit, row.start(), null, figure));
            }
        }
        return readings;
    }

    /** The event ready to store, or the {@link Result} that rejects it. */
    private Object check(
            int index,
            EventInput in,
            Instant now,
            @Nullable UUID allowedOrg,
            CatalogVersion meters,
            PropertiesJson json) {
        String id = in.id();
        if (id == null || id.isEmpty() || id.length() > MAX_ID) {
            return Result.rejected(id, "invalid_id", "id must be 1 to " + MAX_ID + " characters");
        }
        UUID org;
        try {
            if (in.org() == null) return Result.rejected(id, "invalid_org", "org is required");
            org = UUID.fromString(in.org());
        } catch (IllegalArgumentException e) {
            return Result.rejected(id, "invalid_org", "org must be an organization id (a UUID)");
        }
        if (allowedOrg != null && !allowedOrg.equals(org)) {
            return Result.rejected(id, "org_not_allowed", "this API key may send usage for its own organization only");
        }
        if (in.meter() == null) return Result.rejected(id, "unknown_meter", "meter is required");
        Meter meter = meters.meter(in.meter()).orElse(null);
        if (meter == null) {
            return Result.rejected(id, "unknown_meter", "there is no meter '" + in.meter() + "' in the catalog");
        }
        BigDecimal value = in.value();
        if (value == null) {
            if (meter.aggregation() != Aggregation.COUNT && meter.aggregation() != Aggregation.UNIQUE_COUNT) {
                return Result.rejected(
                        id,
                        "invalid_value",
                        "value is required for a " + meter.aggregation().wire() + " meter");
            }
            value = BigDecimal.ONE;
        }
        String valueProblem = valueProblem(value);
        if (valueProblem != null) return Result.rejected(id, "invalid_value", valueProblem);
        Instant at = now;
        if (in.timestamp() != null) {
            Instant parsed = Rfc3339.parse(in.timestamp());
            if (parsed == null) {
                return Result.rejected(
                        id, "invalid_timestamp", "timestamp must be RFC 3339, e.g. 2026-01-31T12:00:00Z");
            }
            at = parsed.truncatedTo(ChronoUnit.MICROS);
            if (at.isBefore(now.minus(settings.grace()))) {
                return Result.rejected(
                        id, "too_late", "timestamp is older than the grace period (" + settings.grace() + ")");
            }
            if (at.isAfter(now.plus(settings.futureSkew()))) {
                return Result.rejected(id, "in_future", "timestamp is ahead of the server's clock");
            }
        }
        Map<String, Object> properties = in.properties();
        String propertyProblem = propertiesProblem(properties);
        if (propertyProblem != null) return Result.rejected(id, "invalid_properties", propertyProblem);
        String unique = null;
        if (meter.aggregation() == Aggregation.UNIQUE_COUNT && meter.property() != null) {
            Object counted = properties == null ? null : properties.get(meter.property());
            if (counted == null) {
                return Result.rejected(
                        id,
                        "missing_property",
                        "a " + meter.key() + " event counts distinct values of properties." + meter.property());
            }
            unique = counted.toString();
        }
        // Answered from memory (the subscription cache, which hears of a deletion on any node within a second).
        if (subscriptions.currentPlan(org).isEmpty()) {
            return Result.rejected(id, "unknown_org", "there is no organization " + org);
        }
        return new Checked(index, org, id, meter.key(), value, at, json.of(properties), unique);
    }

    /**
     * The properties of one batch as JSON, remembering the last ones written: the events of a batch often carry
     * the same properties, and comparing two small maps costs less than writing one.
     */
    private static final class PropertiesJson {
        private @Nullable Map<String, Object> last;
        private @Nullable String lastJson;

        @Nullable
        String of(@Nullable Map<String, Object> properties) {
            if (properties == null || properties.isEmpty()) return null;
            if (!properties.equals(last)) {
                last = properties;
                lastJson = CopyBinary.flatJson(properties);
            }
            return lastJson;
        }
    }

    static @Nullable String valueProblem(BigDecimal value) {
        if (value.signum() < 0) return "value must not be negative";
        BigDecimal plain = value.stripTrailingZeros();
        if (plain.scale() > MAX_FRACTION_DIGITS) {
            return "value must have at most " + MAX_FRACTION_DIGITS + " digits after the point";
        }
        if (plain.precision() - plain.scale() > MAX_INTEGER_DIGITS) {
            return "value must be below 10^" + MAX_INTEGER_DIGITS;
        }
        return null;
    }

    private static final Predicate<Object> SCALAR = v ->
            v instanceof Number || v instanceof Boolean || v instanceof String s && s.length() <= MAX_PROPERTY_STRING;

    static @Nullable String propertiesProblem(@Nullable Map<String, Object> properties) {
        if (properties == null) return null;
        if (properties.size() > MAX_PROPERTIES) return "properties may hold at most " + MAX_PROPERTIES + " members";
        for (Map.Entry<String, Object> p : properties.entrySet()) {
            String key = p.getKey();
            if (key.isEmpty() || key.length() > MAX_PROPERTY_KEY) {
                return "property names must be 1 to " + MAX_PROPERTY_KEY + " characters";
            }
            if (!SCALAR.test(p.getValue())) {
                return "properties." + key + " must be a string (up to " + MAX_PROPERTY_STRING
                        + " characters), a number or a boolean";
            }
        }
        return null;
    }
}
