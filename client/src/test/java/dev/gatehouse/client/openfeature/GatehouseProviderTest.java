package dev.gatehouse.client.openfeature;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatehouse.client.flags.Evaluation;
import dev.gatehouse.client.flags.Flag;
import dev.gatehouse.client.flags.FlagContext;
import dev.gatehouse.client.flags.FlagEngine;
import dev.gatehouse.client.flags.FlagKind;
import dev.gatehouse.client.flags.Payload;
import dev.gatehouse.client.flags.Snapshot;
import dev.gatehouse.client.flags.SnapshotJson;
import dev.gatehouse.client.flags.Strategy;
import dev.gatehouse.client.flags.StrategyType;
import dev.gatehouse.client.flags.Variant;
import dev.openfeature.sdk.Client;
import dev.openfeature.sdk.ErrorCode;
import dev.openfeature.sdk.FlagEvaluationDetails;
import dev.openfeature.sdk.ImmutableContext;
import dev.openfeature.sdk.MutableStructure;
import dev.openfeature.sdk.OpenFeatureAPI;
import dev.openfeature.sdk.ProviderEvaluation;
import dev.openfeature.sdk.ProviderState;
import dev.openfeature.sdk.Value;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What the specification suites do not pin down: context mapping, payloads, polling with ETag, threads. */
class GatehouseProviderTest {

    private final OpenFeatureAPI api = OpenFeatureAPI.createIsolated();
    private SnapshotServer server;

    @AfterEach
    void stop() {
        if (server != null) server.close();
        api.shutdown();
    }

    private Client connected(Snapshot snapshot) {
        server = new SnapshotServer(snapshot);
        api.setProviderAndWait(GatehouseProvider.builder(server.url(), SnapshotServer.KEY)
                .pollInterval(OpenFeatureSteps.POLL)
                .build());
        return api.getClient();
    }

    private static Flag flag(String key, FlagKind kind, List<Strategy> strategies, List<Variant> variants) {
        return new Flag(key, kind, null, true, strategies, variants, List.of());
    }

    private static Strategy rollout(int percent) {
        return new Strategy(
                StrategyType.FLEXIBLE_ROLLOUT,
                percent,
                "default",
                null,
                List.of(),
                List.of(),
                List.of(),
                List.of(),
                List.of(),
                List.of());
    }

    private static Variant variant(String name, int weight, String type, String value) {
        return new Variant(name, weight, "default", value == null ? null : new Payload(type, value), List.of());
    }

    private static Snapshot snapshot(String version, Flag... flags) {
        return new Snapshot(version, List.of(flags), List.of(), Set.of(), false);
    }

    @Test
    void theTargetingKeyIsTheUserIdAndEveryScalarBecomesText() {
        ImmutableContext context = new ImmutableContext(
                "user-1",
                Map.of(
                        "user_id", new Value("ignored: the targeting key wins"),
                        "org_id", new Value("org-7"),
                        "plan", new Value("pro"),
                        "age", new Value(65.0),
                        "ratio", new Value(0.25),
                        "seats", new Value(12),
                        "beta", new Value(true),
                        "since", new Value(Instant.parse("2026-01-02T03:04:05Z")),
                        "nested", new Value(new MutableStructure(Map.of("a", new Value(1)))),
                        "nothing", new Value()));
        FlagContext mapped = Contexts.of(context);
        assertThat(mapped.userId()).isEqualTo("user-1");
        assertThat(mapped.orgId()).isEqualTo("org-7");
        assertThat(mapped.plan()).isEqualTo("pro");
        assertThat(mapped.properties())
                .containsOnly(
                        Map.entry("age", "65"),
                        Map.entry("ratio", "0.25"),
                        Map.entry("seats", "12"),
                        Map.entry("beta", "true"),
                        Map.entry("since", "2026-01-02T03:04:05Z"));
        // no targeting key: a user_id attribute is the user id
        assertThat(Contexts.of(new ImmutableContext(Map.of("user_id", new Value("u-9"))))
                        .userId())
                .isEqualTo("u-9");
        assertThat(Contexts.of(new ImmutableContext())).isEqualTo(FlagContext.EMPTY);
    }

    @Test
    void answersWhatTheEngineAnswersForRolloutsAndSplits() {
        Snapshot snapshot = snapshot(
                "v1",
                flag("half", FlagKind.BOOLEAN, List.of(rollout(50)), List.of()),
                flag(
                        "colour",
                        FlagKind.VARIANT,
                        List.of(rollout(80)),
                        List.of(variant("red", 30, "string", "#f00"), variant("blue", 70, "string", "#00f"))));
        FlagEngine engine = FlagEngine.of(snapshot);
        GatehouseProvider provider = GatehouseProvider.of(snapshot);
        int on = 0;
        for (int i = 0; i < 1000; i++) {
            String user = "user-" + i;
            ImmutableContext ctx = new ImmutableContext(user);
            FlagContext same = FlagContext.builder().userId(user).build();
            ProviderEvaluation<Boolean> half = provider.getBooleanEvaluation("half", true, ctx);
            assertThat(half.getValue()).isEqualTo(engine.isEnabled("half", same));
            assertThat(half.getReason()).isEqualTo(half.getValue() ? "TARGETING_MATCH" : "DEFAULT");
            if (half.getValue()) on++;

            Evaluation expected = engine.evaluate("colour", same);
            ProviderEvaluation<String> colour = provider.getStringEvaluation("colour", "none", ctx);
            if (expected.enabled()) {
                assertThat(colour.getVariant()).isEqualTo(expected.variant().name());
                assertThat(colour.getValue())
                        .isEqualTo(expected.variant().payload().value());
                assertThat(colour.getReason()).isEqualTo("TARGETING_MATCH");
            } else {
                assertThat(colour.getValue()).isEqualTo("none");
                assertThat(colour.getVariant()).isNull();
                assertThat(colour.getReason()).isEqualTo("DEFAULT");
            }
        }
        assertThat(on).isBetween(430, 570);
    }

    @Test
    void payloadsAnswerTheirTypesAndNothingElse() {
        GatehouseProvider provider = GatehouseProvider.of(snapshot(
                "v1",
                flag("csv", FlagKind.VARIANT, List.of(), List.of(variant("list", 1, "csv", "a,b"))),
                flag("named", FlagKind.VARIANT, List.of(), List.of(variant("plain", 1, null, null))),
                flag("fraction", FlagKind.VARIANT, List.of(), List.of(variant("f", 1, "number", "2.5"))),
                flag("garbled", FlagKind.VARIANT, List.of(), List.of(variant("g", 1, "number", "two"))),
                flag("broken", FlagKind.VARIANT, List.of(), List.of(variant("b", 1, "json", "{\"a\":"))),
                flag("list", FlagKind.VARIANT, List.of(), List.of(variant("l", 1, "json", "[1, \"x\", null]")))));
        ImmutableContext ctx = new ImmutableContext();

        assertThat(provider.getStringEvaluation("csv", "", ctx).getValue()).isEqualTo("a,b");
        // no payload: a string evaluation answers the variant's name
        ProviderEvaluation<String> named = provider.getStringEvaluation("named", "", ctx);
        assertThat(named.getValue()).isEqualTo("plain");
        assertThat(named.getVariant()).isEqualTo("plain");
        assertThat(provider.getIntegerEvaluation("named", 3, ctx).getErrorCode())
                .isEqualTo(ErrorCode.TYPE_MISMATCH);

        assertThat(provider.getDoubleEvaluation("fraction", 0.0, ctx).getValue())
                .isEqualTo(2.5);
        ProviderEvaluation<Integer> notAnInteger = provider.getIntegerEvaluation("fraction", 7, ctx);
        assertThat(notAnInteger.getErrorCode()).isEqualTo(ErrorCode.TYPE_MISMATCH);
        assertThat(notAnInteger.getValue()).isEqualTo(7);
        assertThat(provider.getStringEvaluation("fraction", "", ctx).getErrorCode())
                .isEqualTo(ErrorCode.TYPE_MISMATCH);

        assertThat(provider.getIntegerEvaluation("garbled", 1, ctx).getErrorCode())
                .isEqualTo(ErrorCode.PARSE_ERROR);
        ProviderEvaluation<Value> broken = provider.getObjectEvaluation("broken", new Value("d"), ctx);
        assertThat(broken.getErrorCode()).isEqualTo(ErrorCode.PARSE_ERROR);
        assertThat(broken.getValue()).isEqualTo(new Value("d"));

        Value list = provider.getObjectEvaluation("list", new Value(), ctx).getValue();
        assertThat(list.asList()).containsExactly(new Value(1), new Value("x"), new Value());
        assertThatThrownBy(() -> list.asList().add(new Value(2))).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void pollsWithTheETagSoAnUnchangedSnapshotIsNeverSentAgain() {
        Client client = connected(snapshot("v1", flag("on", FlagKind.BOOLEAN, List.of(), List.of())));
        await(() -> server.notModified() >= 5, "five 304s");
        assertThat(server.served()).isEqualTo(1);
        assertThat(client.getBooleanValue("on", false)).isTrue();

        server.serve(snapshot("v2", flag("other", FlagKind.BOOLEAN, List.of(), List.of())));
        await(() -> client.getBooleanDetails("on", false).getErrorCode() == ErrorCode.FLAG_NOT_FOUND, "v2");
        assertThat(client.getBooleanDetails("other", false).getFlagMetadata().getString("snapshot_version"))
                .isEqualTo("v2");
        assertThat(server.served()).isEqualTo(2);
    }

    @Test
    void keepsTheLastGoodSnapshotWhileTheServerFailsOrSendsGarbage() {
        Client client = connected(snapshot("v1", flag("on", FlagKind.BOOLEAN, List.of(), List.of())));
        server.failWith(500);
        await(() -> client.getProviderState() == ProviderState.STALE, "STALE");
        FlagEvaluationDetails<Boolean> stale = client.getBooleanDetails("on", false);
        assertThat(stale.getValue()).isTrue();
        assertThat(stale.getErrorCode()).isNull();

        server.failWith(0);
        await(() -> client.getProviderState() == ProviderState.READY, "READY");
        assertThat(server.served()).as("the snapshot did not change: 304s only").isEqualTo(1);
    }

    @Test
    void shutdownStopsPolling() throws InterruptedException {
        Client client = connected(snapshot("v1", flag("on", FlagKind.BOOLEAN, List.of(), List.of())));
        await(() -> server.notModified() >= 2, "polling");
        api.shutdown();
        int polls = server.notModified();
        Thread.sleep(OpenFeatureSteps.POLL.toMillis() * 10);
        assertThat(server.notModified()).isLessThanOrEqualTo(polls + 1);
        assertThat(client.getProviderState()).isNotEqualTo(ProviderState.READY);
    }

    /**
     * Eight threads evaluate while the snapshot alternates between the flag killed and not: every answer is whole
     * (the value, reason and snapshot version of one snapshot), never a mix and never an error.
     */
    @Test
    void evaluationsOnManyThreadsSeeWholeSnapshotsWhileTheyChange() throws Exception {
        Flag on = flag("switch", FlagKind.BOOLEAN, List.of(), List.of());
        Snapshot live = new Snapshot("live", List.of(on), List.of(), Set.of(), false);
        Snapshot killed = new Snapshot("killed", List.of(on), List.of(), Set.of("switch"), false);
        Client client = connected(live);

        AtomicBoolean running = new AtomicBoolean(true);
        Set<String> seen = ConcurrentHashMap.newKeySet();
        ExecutorService threads = Executors.newFixedThreadPool(8);
        CountDownLatch started = new CountDownLatch(8);
        List<Future<Integer>> workers = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
            workers.add(threads.submit(() -> {
                started.countDown();
                int n = 0;
                while (running.get()) {
                    FlagEvaluationDetails<Boolean> d =
                            client.getBooleanDetails("switch", false, new ImmutableContext("u"));
                    String version = d.getFlagMetadata().getString("snapshot_version");
                    String answer = d.getValue() + "/" + d.getReason() + "/" + version;
                    assertThat(answer).isIn("true/STATIC/live", "false/DISABLED/killed");
                    seen.add(version);
                    n++;
                }
                return n;
            }));
        }
        started.await();
        for (int flip = 0; flip < 10; flip++) {
            Snapshot next = flip % 2 == 0 ? killed : live;
            server.serve(next);
            await(
                    () -> next.version()
                            .equals(client.getBooleanDetails("switch", false)
                                    .getFlagMetadata()
                                    .getString("snapshot_version")),
                    next.version());
        }
        running.set(false);
        int evaluations = 0;
        for (Future<Integer> w : workers) evaluations += w.get(10, TimeUnit.SECONDS);
        threads.shutdown();
        assertThat(seen).containsExactlyInAnyOrder("live", "killed");
        assertThat(evaluations).isGreaterThan(1000);
    }

    @Test
    void aFixedSnapshotNeedsNoServer() {
        api.setProviderAndWait(GatehouseProvider.of(SnapshotJson.parse("{\"version\": \"file\", \"flags\": ["
                + "{\"key\": \"on\", \"kind\": \"boolean\", \"enabled\": true}]}")));
        Client client = api.getClient();
        assertThat(client.getProviderState()).isEqualTo(ProviderState.READY);
        assertThat(client.getBooleanValue("on", false)).isTrue();
    }

    @Test
    void settingsAreChecked() {
        assertThatThrownBy(() -> GatehouseProvider.builder("gatehouse.example.com", "k"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() ->
                        GatehouseProvider.builder("https://g.example.com", "k").pollInterval(Duration.ofMillis(1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() ->
                        GatehouseProvider.builder("https://g.example.com", "k").requestTimeout(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(GatehouseProvider.DEFAULT_POLL_INTERVAL).isEqualTo(Duration.ofSeconds(1));
    }

    private static void await(BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("waiting for %s", what).isLessThan(deadline);
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }
}
