package dev.gatehouse.client.openfeature;

import dev.gatehouse.client.flags.Evaluation;
import dev.gatehouse.client.flags.FlagKind;
import dev.gatehouse.client.flags.Payload;
import dev.gatehouse.client.flags.Snapshot;
import dev.gatehouse.client.flags.VariantResult;
import dev.openfeature.sdk.ErrorCode;
import dev.openfeature.sdk.EvaluationContext;
import dev.openfeature.sdk.EventProvider;
import dev.openfeature.sdk.ImmutableMetadata;
import dev.openfeature.sdk.Metadata;
import dev.openfeature.sdk.ProviderEvaluation;
import dev.openfeature.sdk.ProviderEventDetails;
import dev.openfeature.sdk.Reason;
import dev.openfeature.sdk.Value;
import dev.openfeature.sdk.exceptions.FatalError;
import dev.openfeature.sdk.exceptions.GeneralError;
import java.math.BigDecimal;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * OpenFeature provider for Gatehouse flags, evaluating in-process with the server's own engine from the server's
 * snapshot ({@code GET /api/v1/flags/snapshot}, service key), which it polls with {@code If-None-Match} every
 * {@link Builder#pollInterval poll interval} (1 s by default): an unchanged snapshot costs a 304.
 *
 * <pre>{@code
 * OpenFeatureAPI.getInstance().setProviderAndWait(
 *         GatehouseProvider.builder("https://gatehouse.example.com", serviceKey).build());
 * Client flags = OpenFeatureAPI.getInstance().getClient();
 * boolean on = flags.getBooleanValue("checkout.new", false, new ImmutableContext("user-42", Map.of(
 *         "org_id", new Value("org-7"), "plan", new Value("pro"))));
 * }</pre>
 *
 * <p><b>States.</b> {@code initialize} fetches the first snapshot: the provider is READY with it; a refused service
 * key (401, 403) is FATAL; any other failure is ERROR while polling goes on, and the first snapshot makes it
 * READY. After that, a failed poll keeps the last good snapshot and makes the provider STALE (ERROR if the key is
 * refused); the next good poll makes it READY again. A new snapshot that changes flags emits
 * PROVIDER_CONFIGURATION_CHANGED naming them.
 *
 * <p><b>Answers.</b> A {@code boolean} flag answers boolean evaluations (variant {@code on} or {@code off}); a
 * {@code variant} flag answers string (the payload of type string or csv, else the variant's name), integer and
 * double (payload type number) and object evaluations (payload type json); any other pairing is TYPE_MISMATCH.
 * Reasons: STATIC (on, and the same for every context), TARGETING_MATCH (on for this context), DEFAULT (off for
 * this context, or no variant: the caller's default, {@code false} for a boolean flag), DISABLED (disabled or
 * killed: the same), ERROR with FLAG_NOT_FOUND, TYPE_MISMATCH, PARSE_ERROR or PROVIDER_NOT_READY (no snapshot
 * yet). The values are the server's: {@code POST /api/v1/flags/evaluate} evaluates with the same engine.
 *
 * <p>One instance serves one registration: {@link #shutdown} stops its poller for good.
 */
public final class GatehouseProvider extends EventProvider {

    /** How often the snapshot is polled unless configured otherwise. */
    public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofSeconds(1);

    /** How long one poll may take unless configured otherwise. */
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(5);

    static final String NAME = "gatehouse";
    private static final Metadata METADATA = () -> NAME;

    private static final String ON = "on";
    private static final String OFF = "off";
    private static final String STATIC = Reason.STATIC.name();
    private static final String TARGETING_MATCH = Reason.TARGETING_MATCH.name();
    private static final String DEFAULT = Reason.DEFAULT.name();
    private static final String DISABLED = Reason.DISABLED.name();
    private static final String ERROR = Reason.ERROR.name();

    /** The health this provider last reported (the SDK keeps the state clients see; these are its transitions). */
    private enum Health {
        READY,
        STALE,
        ERROR
    }

    private final SnapshotFetcher fetcher; // null: a fixed snapshot, never polled
    private final Duration pollInterval;
    private final Clock clock;
    private final Object lifecycle = new Object();

    private volatile Loaded loaded;
    private volatile Health health; // written by initialize, then by the poller thread only
    private ScheduledExecutorService poller; // guarded by lifecycle
    private volatile boolean shutDown; // written under lifecycle

    private GatehouseProvider(SnapshotFetcher fetcher, Duration pollInterval, Clock clock, Snapshot fixed) {
        this.fetcher = fetcher;
        this.pollInterval = pollInterval;
        this.clock = clock;
        this.loaded = fixed == null ? null : Loaded.of(fixed, clock);
    }

    /** A provider polling the Gatehouse server at {@code serverUrl} with a service key (permission flags.evaluate). */
    public static Builder builder(String serverUrl, String serviceKey) {
        return new Builder(serverUrl, serviceKey);
    }

    /**
     * A provider that evaluates one fixed snapshot and never polls: for tests, and for applications that ship a
     * snapshot document ({@code SnapshotJson.parse}) rather than reach a server.
     */
    public static GatehouseProvider of(Snapshot snapshot) {
        return new GatehouseProvider(null, null, Clock.systemUTC(), Objects.requireNonNull(snapshot, "snapshot"));
    }

    @Override
    public Metadata getMetadata() {
        return METADATA;
    }

    /** The version (the server's ETag) of the snapshot being evaluated; null before the first one. */
    public String snapshotVersion() {
        Loaded l = loaded;
        return l == null ? null : l.snapshot.version();
    }

    @Override
    public void initialize(EvaluationContext context) throws Exception {
        if (fetcher == null) return;
        synchronized (lifecycle) {
            if (shutDown) throw new FatalError("this provider was shut down; make a new one");
            if (poller != null) {
                // initialized before (the SDK retries a failed initialization): the poller owns the fetcher now
                if (loaded != null) return;
                throw new GeneralError("no snapshot from " + fetcher.uri() + " yet");
            }
            SnapshotFetcher.Fetch first = fetcher.fetch();
            if (first instanceof SnapshotFetcher.Changed changed) {
                loaded = Loaded.of(changed.snapshot(), clock);
                health = Health.READY;
                startPolling();
                return;
            }
            SnapshotFetcher.Failed failed = (SnapshotFetcher.Failed) first; // no ETag yet, so never Unchanged
            if (failed.refused()) throw new FatalError(failed.message());
            // Not fatal: keep polling, and the first snapshot makes the provider READY.
            health = Health.ERROR;
            startPolling();
            throw new GeneralError(failed.message());
        }
    }

    private void startPolling() {
        if (poller != null) return;
        ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "gatehouse-flags-poller");
            t.setDaemon(true);
            return t;
        });
        executor.setRemoveOnCancelPolicy(true);
        long nanos = pollInterval.toNanos();
        executor.scheduleWithFixedDelay(this::pollSafely, nanos, nanos, TimeUnit.NANOSECONDS);
        poller = executor;
    }

    private void pollSafely() {
        try {
            poll();
        } catch (RuntimeException e) {
            // A scheduled task that throws is never run again: report and keep polling.
            report(Health.STALE, "polling failed: " + e, null);
        }
    }

    /** One poll and the events it causes; runs on the poller thread only. */
    void poll() {
        SnapshotFetcher.Fetch fetch = fetcher.fetch();
        if (fetch instanceof SnapshotFetcher.Changed changed) {
            Loaded previous = loaded;
            Loaded next = Loaded.of(changed.snapshot(), clock);
            loaded = next;
            report(Health.READY, "snapshot " + next.snapshot.version(), null);
            List<String> flags = previous == null ? List.copyOf(next.engine.keys()) : next.changedSince(previous);
            if (!flags.isEmpty()) {
                emitProviderConfigurationChanged(ProviderEventDetails.builder()
                        .flagsChanged(flags)
                        .message("snapshot " + next.snapshot.version())
                        .eventMetadata(next.metadata)
                        .build());
            }
        } else if (fetch instanceof SnapshotFetcher.Unchanged) {
            report(Health.READY, "snapshot " + snapshotVersion() + " is current", null);
        } else {
            SnapshotFetcher.Failed failed = (SnapshotFetcher.Failed) fetch;
            if (failed.refused()) report(Health.ERROR, failed.message(), ErrorCode.GENERAL);
            // with no snapshot yet the provider is in ERROR already (initialize threw)
            else if (health != Health.ERROR) report(Health.STALE, failed.message(), null);
        }
    }

    private void report(Health now, String message, ErrorCode code) {
        if (health == now || shutDown) return;
        health = now;
        ProviderEventDetails details =
                ProviderEventDetails.builder().message(message).errorCode(code).build();
        switch (now) {
            case READY -> emitProviderReady(details);
            case STALE -> emitProviderStale(details);
            case ERROR -> emitProviderError(details);
        }
    }

    @Override
    public void shutdown() {
        synchronized (lifecycle) {
            shutDown = true;
            if (poller != null) poller.shutdownNow();
            poller = null;
        }
        super.shutdown();
    }

    // --- evaluation ---

    /** What the caller asked for. */
    private enum Type {
        BOOLEAN,
        STRING,
        INTEGER,
        DOUBLE,
        OBJECT
    }

    @Override
    public ProviderEvaluation<Boolean> getBooleanEvaluation(String key, Boolean defaultValue, EvaluationContext ctx) {
        return resolve(key, defaultValue, ctx, Type.BOOLEAN);
    }

    @Override
    public ProviderEvaluation<String> getStringEvaluation(String key, String defaultValue, EvaluationContext ctx) {
        return resolve(key, defaultValue, ctx, Type.STRING);
    }

    @Override
    public ProviderEvaluation<Integer> getIntegerEvaluation(String key, Integer defaultValue, EvaluationContext ctx) {
        return resolve(key, defaultValue, ctx, Type.INTEGER);
    }

    @Override
    public ProviderEvaluation<Double> getDoubleEvaluation(String key, Double defaultValue, EvaluationContext ctx) {
        return resolve(key, defaultValue, ctx, Type.DOUBLE);
    }

    @Override
    public ProviderEvaluation<Value> getObjectEvaluation(String key, Value defaultValue, EvaluationContext ctx) {
        return resolve(key, defaultValue, ctx, Type.OBJECT);
    }

    private <T> ProviderEvaluation<T> resolve(String key, T defaultValue, EvaluationContext ctx, Type type) {
        Loaded l = loaded;
        if (l == null) return error(defaultValue, ErrorCode.PROVIDER_NOT_READY, "no snapshot loaded yet", null);
        Loaded.Entry entry = l.flag(key);
        if (entry == null) return error(defaultValue, ErrorCode.FLAG_NOT_FOUND, "flag " + key + " not found", l);
        boolean booleanFlag = entry.flag().kind() == FlagKind.BOOLEAN;
        if (booleanFlag != (type == Type.BOOLEAN)) {
            return error(
                    defaultValue,
                    ErrorCode.TYPE_MISMATCH,
                    "flag " + key + " is a " + entry.flag().kind().wire() + " flag, evaluated as "
                            + type.name().toLowerCase(java.util.Locale.ROOT),
                    l);
        }
        if (entry.disabled()) {
            return booleanFlag
                    ? answer(cast(Boolean.FALSE), OFF, DISABLED, l)
                    : answer(defaultValue, null, DISABLED, l);
        }
        Evaluation e = l.engine.evaluate(key, Contexts.of(ctx));
        String matched = entry.constant() ? STATIC : TARGETING_MATCH;
        if (booleanFlag) {
            return e.enabled()
                    ? answer(cast(Boolean.TRUE), ON, matched, l)
                    : answer(cast(Boolean.FALSE), OFF, DEFAULT, l);
        }
        VariantResult variant = e.variant();
        if (!e.enabled() || !variant.enabled()) return answer(defaultValue, null, DEFAULT, l);
        return payload(key, defaultValue, type, variant, matched, l);
    }

    private <T> ProviderEvaluation<T> payload(
            String key, T defaultValue, Type type, VariantResult variant, String reason, Loaded l) {
        Payload p = variant.payload();
        String payloadType = p == null ? null : p.type();
        String mismatch = "variant " + variant.name() + " of flag " + key + " has "
                + (p == null ? "no payload" : "a " + payloadType + " payload") + ", evaluated as "
                + type.name().toLowerCase(java.util.Locale.ROOT);
        switch (type) {
            case STRING:
                if (p == null) return answer(cast(variant.name()), variant.name(), reason, l);
                if (payloadType.equals("string") || payloadType.equals("csv")) {
                    return answer(cast(p.value()), variant.name(), reason, l);
                }
                break;
            case INTEGER:
                if ("number".equals(payloadType)) {
                    try {
                        int n = new BigDecimal(p.value().trim()).intValueExact();
                        return answer(cast(n), variant.name(), reason, l);
                    } catch (NumberFormatException ex) {
                        return error(defaultValue, ErrorCode.PARSE_ERROR, notNumber(key, variant), l);
                    } catch (ArithmeticException ex) {
                        return error(defaultValue, ErrorCode.TYPE_MISMATCH, mismatch + " (not an integer)", l);
                    }
                }
                break;
            case DOUBLE:
                if ("number".equals(payloadType)) {
                    try {
                        return answer(cast(Double.parseDouble(p.value().trim())), variant.name(), reason, l);
                    } catch (NumberFormatException ex) {
                        return error(defaultValue, ErrorCode.PARSE_ERROR, notNumber(key, variant), l);
                    }
                }
                break;
            case OBJECT:
                if (Loaded.JSON_PAYLOAD.equals(payloadType)) {
                    Value value = l.json(p);
                    if (value == null) {
                        return error(
                                defaultValue,
                                ErrorCode.PARSE_ERROR,
                                "variant " + variant.name() + " of flag " + key
                                        + " has a json payload that is not JSON",
                                l);
                    }
                    return answer(cast(value), variant.name(), reason, l);
                }
                break;
            default:
                break;
        }
        return error(defaultValue, ErrorCode.TYPE_MISMATCH, mismatch, l);
    }

    private static String notNumber(String key, VariantResult variant) {
        return "variant " + variant.name() + " of flag " + key + " has a number payload that is not a number";
    }

    @SuppressWarnings("unchecked")
    private static <T> T cast(Object value) {
        return (T) value; // the caller's type matches the evaluation method, which chose the Type
    }

    private static <T> ProviderEvaluation<T> answer(T value, String variant, String reason, Loaded l) {
        return new ProviderEvaluation<>(value, variant, reason, null, null, l.metadata);
    }

    private static <T> ProviderEvaluation<T> error(T defaultValue, ErrorCode code, String message, Loaded l) {
        return new ProviderEvaluation<>(
                defaultValue, null, ERROR, code, message, l == null ? ImmutableMetadata.EMPTY : l.metadata);
    }

    /** Settings of a polling provider. */
    public static final class Builder {
        private final String serverUrl;
        private final String serviceKey;
        private Duration pollInterval = DEFAULT_POLL_INTERVAL;
        private Duration requestTimeout = DEFAULT_REQUEST_TIMEOUT;
        private HttpClient httpClient;
        private Clock clock = Clock.systemUTC();

        private Builder(String serverUrl, String serviceKey) {
            this.serverUrl = Objects.requireNonNull(serverUrl, "serverUrl");
            this.serviceKey = Objects.requireNonNull(serviceKey, "serviceKey");
            if (!serverUrl.startsWith("http://") && !serverUrl.startsWith("https://")) {
                throw new IllegalArgumentException("serverUrl must be an http:// or https:// URL");
            }
        }

        /**
         * The time between the end of one poll and the start of the next ({@link #DEFAULT_POLL_INTERVAL}, 1 s). A
         * change on the server reaches the provider within this plus the server's own propagation (under 1 s).
         */
        public Builder pollInterval(Duration interval) {
            if (interval == null || interval.compareTo(Duration.ofMillis(10)) < 0) {
                throw new IllegalArgumentException("pollInterval must be at least 10 ms");
            }
            this.pollInterval = interval;
            return this;
        }

        /** The most one poll (connect and answer) may take ({@link #DEFAULT_REQUEST_TIMEOUT}, 5 s). */
        public Builder requestTimeout(Duration timeout) {
            if (timeout == null || timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("requestTimeout must be positive");
            }
            this.requestTimeout = timeout;
            return this;
        }

        /** The HTTP client to poll with (a proxy, TLS settings); by default one of the provider's own. */
        public Builder httpClient(HttpClient client) {
            this.httpClient = Objects.requireNonNull(client, "httpClient");
            return this;
        }

        /** The clock date constraints compare with when a context has no {@code current_time}. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        public GatehouseProvider build() {
            HttpClient http = httpClient != null
                    ? httpClient
                    : HttpClient.newBuilder()
                            .version(HttpClient.Version.HTTP_1_1)
                            .connectTimeout(requestTimeout)
                            .build();
            return new GatehouseProvider(
                    new SnapshotFetcher(http, serverUrl, serviceKey, requestTimeout), pollInterval, clock, null);
        }
    }
}
