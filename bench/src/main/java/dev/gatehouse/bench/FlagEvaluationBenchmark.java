package dev.gatehouse.bench;

import dev.gatehouse.client.flags.Snapshot;
import dev.gatehouse.client.flags.SnapshotJson;
import dev.gatehouse.client.flags.UnleashImport;
import dev.gatehouse.client.openfeature.GatehouseProvider;
import dev.openfeature.sdk.Client;
import dev.openfeature.sdk.EvaluationContext;
import dev.openfeature.sdk.ImmutableContext;
import dev.openfeature.sdk.OpenFeatureAPI;
import dev.openfeature.sdk.Value;
import io.getunleash.DefaultUnleash;
import io.getunleash.Unleash;
import io.getunleash.UnleashContext;
import io.getunleash.util.UnleashConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Local flag evaluation: Gatehouse's OpenFeature provider ({@code GatehouseProvider}, the client module) side by
 * side with Unleash's Java SDK ({@code io.getunleash:unleash-client-java}, its Yggdrasil engine), both loaded from
 * the same Unleash features document ({@link FlagWorkload}: 20 flags of five shapes, one segment) and asked about
 * the same flags for the same 1,000 contexts, in the same order, in the same run. Unleash is bootstrapped offline
 * (its {@code ToggleBootstrapProvider}, polling and metrics off, no network); Gatehouse imports the document with
 * {@code UnleashImport} and evaluates the resulting snapshot. Setup checks that both answer every (flag, context)
 * pair alike before anything is measured.
 *
 * <ul>
 *   <li>{@code gatehouseOpenFeature} / {@code unleash}: a boolean flag, through the OpenFeature SDK's client (what
 *       an application calls) and through {@code Unleash.isEnabled};
 *   <li>{@code gatehouseOpenFeatureVariant} / {@code unleashVariant}: a variant flag's string payload, through
 *       {@code Client.getStringValue} and {@code Unleash.getVariant};
 *   <li>{@code gatehouseProvider}: the boolean flag asked of the provider directly, without the SDK's client
 *       (hooks, context merging): what the SDK's layer costs.
 * </ul>
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Threads(1)
@Fork(
        value = 1,
        jvmArgsAppend = {"-Xms512m", "-Xmx512m", "--enable-native-access=ALL-UNNAMED"})
@Warmup(iterations = 3, time = 3)
@Measurement(iterations = 5, time = 3)
public class FlagEvaluationBenchmark {

    /** Both evaluators, loaded from one document, and the contexts in each one's form. */
    @State(Scope.Benchmark)
    public static class Evaluators {
        String[] booleanFlags;
        String[] variantFlags;
        EvaluationContext[] openFeatureContexts;
        UnleashContext[] unleashContexts;
        OpenFeatureAPI api;
        Client client;
        GatehouseProvider provider;
        Unleash unleash;
        private Path scratch;

        @Setup(Level.Trial)
        public void load() throws IOException {
            FlagWorkload workload = FlagWorkload.standard();
            String document = workload.unleashDocument();

            UnleashImport.Result imported = UnleashImport.convert(SnapshotJson.tree(document));
            if (!imported.warnings().isEmpty()) throw new IllegalStateException("import: " + imported.warnings());
            provider =
                    GatehouseProvider.of(new Snapshot("bench", imported.flags(), imported.segments(), Set.of(), false));
            api = OpenFeatureAPI.createIsolated();
            api.setProviderAndWait(provider);
            client = api.getClient();

            // a backup file would win over the bootstrap: point Unleash at one that does not exist
            scratch = Files.createTempDirectory("gatehouse-bench-unleash");
            UnleashConfig config = UnleashConfig.builder()
                    .appName("gatehouse-bench")
                    .instanceId("bench")
                    .unleashAPI("http://127.0.0.1:9/api/")
                    .disablePolling()
                    .disableMetrics()
                    .backupFile(scratch.resolve("unleash-repo.json").toString())
                    .toggleBootstrapProvider(() -> Optional.of(document))
                    .build();
            unleash = new DefaultUnleash(config);

            booleanFlags = workload.booleanFlags().toArray(String[]::new);
            variantFlags = workload.variantFlags().toArray(String[]::new);
            List<EvaluationContext> of = new ArrayList<>();
            List<UnleashContext> un = new ArrayList<>();
            for (FlagWorkload.Caller c : workload.callers()) {
                of.add(new ImmutableContext(
                        c.userId(),
                        Map.of(
                                "plan", new Value(c.plan()),
                                "country", new Value(c.country()),
                                "app_version", new Value(c.appVersion()))));
                un.add(UnleashContext.builder()
                        .userId(c.userId())
                        .addProperty("plan", c.plan())
                        .addProperty("country", c.country())
                        .addProperty("app_version", c.appVersion())
                        .build());
            }
            openFeatureContexts = of.toArray(EvaluationContext[]::new);
            unleashContexts = un.toArray(UnleashContext[]::new);
            checkTheyAgree();
        }

        /** Every (flag, context) pair answers alike, or there is nothing to compare. */
        private void checkTheyAgree() {
            int on = 0;
            for (int c = 0; c < openFeatureContexts.length; c++) {
                for (String flag : booleanFlags) {
                    boolean ours = client.getBooleanValue(flag, false, openFeatureContexts[c]);
                    if (ours != unleash.isEnabled(flag, unleashContexts[c])) {
                        throw new IllegalStateException(
                                flag + " differs for " + openFeatureContexts[c].asObjectMap() + ": " + ours);
                    }
                    if (ours) on++;
                }
                for (String flag : variantFlags) {
                    String ours = client.getStringValue(flag, "none", openFeatureContexts[c]);
                    String theirs = unleashPayload(unleash, flag, unleashContexts[c]);
                    if (!ours.equals(theirs)) {
                        throw new IllegalStateException(flag + " differs for " + openFeatureContexts[c].asObjectMap()
                                + ": " + ours + " vs " + theirs);
                    }
                }
            }
            int pairs = openFeatureContexts.length * booleanFlags.length;
            if (on == 0 || on == pairs) throw new IllegalStateException("the workload does not discriminate");
        }

        @TearDown(Level.Trial)
        public void close() throws IOException {
            api.shutdown();
            unleash.shutdown();
            try (var files = Files.list(scratch)) {
                for (Path p : files.toList()) Files.deleteIfExists(p);
            }
            Files.deleteIfExists(scratch);
        }
    }

    /** Walks the flags, then the contexts, the same way for every benchmark. */
    @State(Scope.Thread)
    public static class Cursor {
        private int next;

        int next() {
            int n = next++;
            if (next == Integer.MAX_VALUE) next = 0;
            return n;
        }
    }

    static String unleashPayload(Unleash unleash, String flag, UnleashContext context) {
        return unleash.getVariant(flag, context)
                .getPayload()
                .map(p -> p.getValue())
                .orElse("none");
    }

    @Benchmark
    public boolean gatehouseOpenFeature(Evaluators e, Cursor c) {
        int n = c.next();
        return e.client.getBooleanValue(
                e.booleanFlags[n % e.booleanFlags.length],
                false,
                e.openFeatureContexts[(n / e.booleanFlags.length) % e.openFeatureContexts.length]);
    }

    @Benchmark
    public boolean unleash(Evaluators e, Cursor c) {
        int n = c.next();
        return e.unleash.isEnabled(
                e.booleanFlags[n % e.booleanFlags.length],
                e.unleashContexts[(n / e.booleanFlags.length) % e.unleashContexts.length]);
    }

    @Benchmark
    public boolean gatehouseProvider(Evaluators e, Cursor c) {
        int n = c.next();
        return e.provider
                .getBooleanEvaluation(
                        e.booleanFlags[n % e.booleanFlags.length],
                        false,
                        e.openFeatureContexts[(n / e.booleanFlags.length) % e.openFeatureContexts.length])
                .getValue();
    }

    @Benchmark
    public String gatehouseOpenFeatureVariant(Evaluators e, Cursor c) {
        int n = c.next();
        return e.client.getStringValue(
                e.variantFlags[n % e.variantFlags.length],
                "none",
                e.openFeatureContexts[(n / e.variantFlags.length) % e.openFeatureContexts.length]);
    }

    @Benchmark
    public String unleashVariant(Evaluators e, Cursor c) {
        int n = c.next();
        return unleashPayload(
                e.unleash,
                e.variantFlags[n % e.variantFlags.length],
                e.unleashContexts[(n / e.variantFlags.length) % e.unleashContexts.length]);
    }
}
