package dev.gatehouse.client.openfeature;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatehouse.client.flags.Flag;
import dev.gatehouse.client.flags.Snapshot;
import dev.gatehouse.client.flags.SnapshotJson;
import dev.openfeature.sdk.Client;
import dev.openfeature.sdk.EvaluationContext;
import dev.openfeature.sdk.EventDetails;
import dev.openfeature.sdk.FlagEvaluationDetails;
import dev.openfeature.sdk.ImmutableContext;
import dev.openfeature.sdk.OpenFeatureAPI;
import dev.openfeature.sdk.ProviderEvent;
import dev.openfeature.sdk.ProviderState;
import dev.openfeature.sdk.Value;
import dev.openfeature.sdk.exceptions.OpenFeatureError;
import io.cucumber.datatable.DataTable;
import io.cucumber.java.After;
import io.cucumber.java.en.Given;
import io.cucumber.java.en.Then;
import io.cucumber.java.en.When;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import tools.jackson.databind.json.JsonMapper;

/**
 * Steps of the OpenFeature specification's Gherkin vocabulary, on a real {@link GatehouseProvider} registered with
 * an isolated OpenFeature API, polling a {@link SnapshotServer} every 20 ms. Cucumber makes one instance per
 * scenario.
 */
public class OpenFeatureSteps {

    static final Duration POLL = Duration.ofMillis(20);
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final OpenFeatureAPI api = OpenFeatureAPI.createIsolated();
    private SnapshotServer server;
    private GatehouseProvider provider;
    private Client client;

    private String type;
    private String key;
    private Object defaultValue;
    private final Map<String, Value> attributes = new HashMap<>();
    private String targetingKey;
    private FlagEvaluationDetails<?> details;

    private final Map<ProviderEvent, BlockingQueue<EventDetails>> events = new HashMap<>();
    private EventDetails lastEvent;

    static Snapshot flags() {
        try (InputStream in = OpenFeatureSteps.class.getResourceAsStream("flags.json")) {
            return SnapshotJson.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @After
    public void stop() {
        // the server first: a provider still initializing is waiting for its answer
        if (server != null) server.close();
        api.shutdown();
    }

    private void startServer() {
        server = new SnapshotServer(flags());
        provider = GatehouseProvider.builder(server.url(), SnapshotServer.KEY)
                .pollInterval(POLL)
                // longer than any scenario: a provider kept waiting stays NOT_READY however slow the machine
                .requestTimeout(Duration.ofSeconds(60))
                .build();
        client = api.getClient();
    }

    // --- providers ---

    @Given("a {} provider")
    public void aProvider(String status) {
        startServer();
        switch (status) {
            case "stable", "ready" -> api.setProviderAndWait(provider);
            case "not ready" -> {
                server.hang(); // initialize waits for a first answer that does not come
                api.setProvider(provider);
            }
            case "error" -> {
                server.failWith(500);
                assertThatThrownBy(() -> api.setProviderAndWait(provider)).isInstanceOf(OpenFeatureError.class);
            }
            case "fatal" -> {
                server.failWith(401);
                assertThatThrownBy(() -> api.setProviderAndWait(provider)).isInstanceOf(OpenFeatureError.class);
            }
            case "stale" -> {
                api.setProviderAndWait(provider);
                server.failWith(503);
                await(() -> client.getProviderState() == ProviderState.STALE, "provider STALE");
            }
            default -> throw new IllegalArgumentException("unknown provider status " + status);
        }
    }

    @Given("a provider which supports events and requires initialization")
    public void aProviderWithEvents() {
        startServer();
    }

    @When("a {word} handler is attached")
    public void aHandlerIsAttached(String event) {
        ProviderEvent e = ProviderEvent.valueOf(event);
        BlockingQueue<EventDetails> queue = new LinkedBlockingQueue<>();
        events.put(e, queue);
        client.on(e, queue::add);
    }

    @When("the provider is set and successfully initialized")
    public void theProviderIsSetAndInitialized() {
        api.setProviderAndWait(provider);
    }

    @When("the provider is set and fails to initialize")
    public void theProviderFailsToInitialize() {
        server.failWith(500);
        assertThatThrownBy(() -> api.setProviderAndWait(provider)).isInstanceOf(OpenFeatureError.class);
    }

    @When("the server fails")
    public void theServerFails() {
        server.failWith(503);
    }

    @When("the server refuses the service key")
    public void theServerRefusesTheKey() {
        server.failWith(403);
    }

    @When("the server recovers")
    public void theServerRecovers() {
        server.failWith(0);
    }

    @When("a flag with key {string} is modified")
    public void aFlagIsModified(String flagKey) {
        Snapshot s = flags();
        List<Flag> changed = new ArrayList<>();
        for (Flag f : s.flags()) changed.add(f.key().equals(flagKey) ? f.withEnabled(!f.enabled()) : f);
        server.serve(new Snapshot("spec-2", changed, s.segments(), s.killed(), s.globalKill()));
    }

    @When("the kill switch of {string} is turned on")
    public void theKillSwitchIsTurnedOn(String flagKey) {
        Snapshot s = flags();
        Set<String> killed = new HashSet<>(s.killed());
        killed.add(flagKey);
        server.serve(new Snapshot("spec-2", s.flags(), s.segments(), killed, s.globalKill()));
    }

    @Then("the {word} handler must run")
    public void theHandlerMustRun(String event) throws InterruptedException {
        lastEvent = events.get(ProviderEvent.valueOf(event)).poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        assertThat(lastEvent).as("%s handler ran", event).isNotNull();
        assertThat(lastEvent.getProviderName()).isEqualTo(GatehouseProvider.NAME);
    }

    @Then("the event details must indicate {string} was altered")
    public void theEventDetailsIndicate(String flagKey) {
        assertThat(lastEvent.getFlagsChanged()).contains(flagKey);
    }

    @Then("the event details must not indicate {string} was altered")
    public void theEventDetailsDoNotIndicate(String flagKey) {
        assertThat(lastEvent.getFlagsChanged()).doesNotContain(flagKey);
    }

    @Then("the provider status should be {string}")
    public void theProviderStatusShouldBe(String status) {
        ProviderState expected = ProviderState.valueOf(status);
        await(() -> client.getProviderState() == expected, "provider " + status);
    }

    // --- evaluation ---

    @Given("a {word}-flag with key {string} and a default value {string}")
    public void aFlag(String flagType, String flagKey, String defaultText) {
        type = flagType;
        key = flagKey;
        defaultValue = parse(flagType, defaultText);
    }

    @Given("a context containing a key {string}, with type {string} and with value {string}")
    public void aContextValue(String name, String valueType, String text) {
        attributes.put(
                name,
                switch (valueType) {
                    case "String" -> new Value(text);
                    case "Integer" -> new Value(Integer.valueOf(text));
                    case "Float" -> new Value(Double.valueOf(text));
                    case "Boolean" -> new Value(Boolean.valueOf(text));
                    case "Instant" -> new Value(Instant.parse(text));
                    default -> throw new IllegalArgumentException("unknown value type " + valueType);
                });
    }

    @Given("a context containing a key {string} with null value")
    public void aContextNull(String name) {
        attributes.put(name, new Value());
    }

    @Given("a context containing a targeting key with value {string}")
    public void aTargetingKey(String value) {
        targetingKey = value;
    }

    @When("the flag was evaluated with details")
    public void theFlagWasEvaluated() {
        details = evaluate(new ImmutableContext(targetingKey, attributes));
    }

    private FlagEvaluationDetails<?> evaluate(EvaluationContext context) {
        return switch (type) {
            case "Boolean" -> client.getBooleanDetails(key, (Boolean) defaultValue, context);
            case "String" -> client.getStringDetails(key, (String) defaultValue, context);
            case "Integer" -> client.getIntegerDetails(key, (Integer) defaultValue, context);
            case "Float" -> client.getDoubleDetails(key, (Double) defaultValue, context);
            case "Object" -> client.getObjectDetails(key, (Value) defaultValue, context);
            default -> throw new IllegalArgumentException("unknown flag type " + type);
        };
    }

    @Then("the resolved details value should be {string}")
    public void theValueShouldBe(String expected) {
        assertThat(details.getValue()).as(details.toString()).isEqualTo(parse(type, expected));
    }

    @Then("the resolved flag value is {string} when the context is empty")
    public void theValueWithAnEmptyContext(String expected) {
        assertThat(evaluate(new ImmutableContext()).getValue()).isEqualTo(parse(type, expected));
    }

    @Then("the reason should be {string}")
    public void theReasonShouldBe(String reason) {
        assertThat(details.getReason()).as(details.toString()).isEqualTo(reason);
    }

    @Then("the error-code should be {string}")
    public void theErrorCodeShouldBe(String code) {
        assertThat(details.getErrorCode()).as(details.toString()).isNotNull();
        assertThat(details.getErrorCode().name()).isEqualTo(code);
    }

    @Then("the error message should contain {string}")
    public void theErrorMessageShouldContain(String text) {
        assertThat(details.getErrorMessage()).contains(text);
    }

    @Then("the variant should be {string}")
    public void theVariantShouldBe(String variant) {
        assertThat(details.getVariant()).as(details.toString()).isEqualTo(variant);
    }

    @Then("the flag key should be {string}")
    public void theFlagKeyShouldBe(String flagKey) {
        assertThat(details.getFlagKey()).isEqualTo(flagKey);
    }

    @Then("the resolved metadata should contain")
    public void theMetadataShouldContain(DataTable table) {
        for (Map<String, String> row : table.asMaps()) {
            String name = row.get("key");
            Object actual = details.getFlagMetadata().asUnmodifiableMap().get(name);
            Object expected = switch (row.get("metadata_type")) {
                case "String" -> row.get("value");
                case "Integer" -> Integer.valueOf(row.get("value"));
                case "Float" -> Double.valueOf(row.get("value"));
                case "Boolean" -> Boolean.valueOf(row.get("value"));
                default -> throw new IllegalArgumentException(row.get("metadata_type"));
            };
            assertThat(actual).as("metadata %s", name).isEqualTo(expected);
        }
    }

    static Object parse(String flagType, String text) {
        return switch (flagType) {
            case "Boolean" -> Boolean.valueOf(text);
            case "String" -> text;
            case "Integer" -> Integer.valueOf(text);
            case "Float" -> Double.valueOf(text);
            case "Object" -> Loaded.value(JSON.readTree(text));
            default -> throw new IllegalArgumentException("unknown flag type " + flagType);
        };
    }

    private static void await(Supplier<Boolean> condition, String what) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.get()) {
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
