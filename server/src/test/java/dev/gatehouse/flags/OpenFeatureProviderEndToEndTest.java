package dev.gatehouse.flags;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.client.openfeature.GatehouseProvider;
import dev.gatehouse.support.Http;
import dev.openfeature.sdk.Client;
import dev.openfeature.sdk.FlagEvaluationDetails;
import dev.openfeature.sdk.ImmutableContext;
import dev.openfeature.sdk.OpenFeatureAPI;
import dev.openfeature.sdk.Value;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The client's OpenFeature provider against the running app: it polls the real snapshot endpoint with a service
 * key and must answer, for every flag and context, what {@code POST /api/v1/flags/evaluate} answers; and a kill
 * switch flipped through the admin API must reach it within its documented refresh (the poll interval, 1 s by
 * default, plus the server's propagation), measured and printed.
 */
class OpenFeatureProviderEndToEndTest extends FlagTestSupport {

    private final OpenFeatureAPI api = OpenFeatureAPI.createIsolated();

    @AfterEach
    void shutdownProvider() {
        api.shutdown();
    }

    private GatehouseProvider connect(Duration pollInterval) {
        GatehouseProvider provider = GatehouseProvider.builder("http://127.0.0.1:" + port, service())
                .pollInterval(pollInterval)
                .build();
        api.setProviderAndWait(provider);
        return provider;
    }

    /** The server's current snapshot version (its ETag's value). */
    private String serverVersion() {
        Http.Response r = http.get("/api/v1/flags/snapshot").bearer(service()).send();
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        return r.header("ETag").replace("\"", "");
    }

    private static void until(GatehouseProvider provider, String version) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!version.equals(provider.snapshotVersion())) {
            assertThat(System.nanoTime()).as("provider at snapshot %s", version).isLessThan(deadline);
            LockSupport.parkNanos(Duration.ofMillis(10).toNanos());
        }
    }

    @Test
    void theProviderAnswersWhatTheEvaluateApiAnswersForEveryFlagAndContext() {
        Http.Response segment = http.put("/api/v1/admin/flag-segments/" + unique("eu"))
                .bearer(admin())
                .body("{\"constraints\": [{\"context_name\": \"country\", \"operator\": \"IN\","
                        + " \"values\": [\"FR\", \"DE\"]}]}")
                .send();
        assertThat(segment.status()).as(segment.toString()).isEqualTo(200);
        String eu = segment.json().get("name").asString();

        String rollout = unique("of.rollout");
        Map<String, String> flags = new LinkedHashMap<>(); // key -> kind of payload (boolean, string, json, number)
        flags.put(rollout, "boolean");
        create("""
                {"key": "%s", "kind": "boolean", "enabled": true,
                 "strategies": [{"type": "flexible_rollout", "rollout": 50, "stickiness": "default"}]}
                """.formatted(rollout));
        String allowList = unique("of.allow");
        flags.put(allowList, "boolean");
        create("""
                {"key": "%s", "kind": "boolean", "enabled": true,
                 "strategies": [{"type": "user_ids", "user_ids": ["user-3", "user-7"]},
                                {"type": "flexible_rollout", "rollout": 10, "stickiness": "user_id"}]}
                """.formatted(allowList));
        String org = unique("of.org");
        flags.put(org, "boolean");
        create("""
                {"key": "%s", "kind": "boolean", "enabled": true,
                 "strategies": [{"type": "org_ids", "org_ids": ["org-1"]}]}
                """.formatted(org));
        String plan = unique("of.plan");
        flags.put(plan, "boolean");
        create("""
                {"key": "%s", "kind": "boolean", "enabled": true,
                 "strategies": [{"type": "default", "segments": ["%s"],
                   "constraints": [{"context_name": "plan", "operator": "IN", "values": ["PRO", "TEAM"],
                                    "case_insensitive": true}]}]}
                """.formatted(plan, eu));
        String semver = unique("of.semver");
        flags.put(semver, "boolean");
        create("""
                {"key": "%s", "kind": "boolean", "enabled": true,
                 "strategies": [{"type": "default",
                   "constraints": [{"context_name": "app_version", "operator": "SEMVER_GTE", "value": "2.0.0"}]}]}
                """.formatted(semver));
        String dependent = unique("of.dependent");
        flags.put(dependent, "boolean");
        create("""
                {"key": "%s", "kind": "boolean", "enabled": true, "dependencies": [{"flag": "%s", "enabled": true}]}
                """.formatted(dependent, rollout));
        String disabled = unique("of.disabled");
        flags.put(disabled, "boolean");
        create("{\"key\": \"" + disabled + "\", \"kind\": \"boolean\", \"enabled\": false}");
        String killed = unique("of.killed");
        flags.put(killed, "boolean");
        create("{\"key\": \"" + killed + "\", \"kind\": \"boolean\", \"enabled\": true}");
        String text = unique("of.text");
        flags.put(text, "string");
        create("""
                {"key": "%s", "kind": "variant", "enabled": true,
                 "strategies": [{"type": "flexible_rollout", "rollout": 80, "stickiness": "default"}],
                 "variants": [{"name": "a", "weight": 50, "payload": {"type": "string", "value": "A"}},
                              {"name": "b", "weight": 50, "payload": {"type": "string", "value": "B"},
                               "overrides": [{"context_name": "country", "values": ["DE"]}]}]}
                """.formatted(text));
        String layout = unique("of.layout");
        flags.put(layout, "json");
        create("""
                {"key": "%s", "kind": "variant", "enabled": true,
                 "variants": [{"name": "two", "weight": 1, "payload": {"type": "json", "value": "{\\"columns\\": 2, \\"dense\\": false}"}},
                              {"name": "three", "weight": 3, "payload": {"type": "json", "value": "{\\"columns\\": 3, \\"tags\\": [\\"x\\"]}"}}]}
                """.formatted(layout));
        String limit = unique("of.limit");
        flags.put(limit, "number");
        create("""
                {"key": "%s", "kind": "variant", "enabled": true,
                 "strategies": [{"type": "default",
                   "constraints": [{"context_name": "country", "operator": "NOT_IN", "values": ["US"]}],
                   "variants": [{"name": "ten", "weight": 1, "payload": {"type": "number", "value": "10"}},
                                {"name": "twenty", "weight": 1, "payload": {"type": "number", "value": "20.5"}}]},
                   {"type": "org_ids", "org_ids": ["org-2"]}],
                 "variants": [{"name": "five", "weight": 1, "payload": {"type": "number", "value": "5"}}]}
                """.formatted(limit));
        killSwitch(killed, true);
        try {
            GatehouseProvider provider = connect(Duration.ofMillis(200));
            until(provider, serverVersion());
            Client client = api.getClient();

            String[] plans = {"free", "pro", "Team", null};
            String[] countries = {"FR", "DE", "US"};
            String[] versions = {"1.9.0", "2.0.0", "2.1.0-beta.1", "not-a-version"};
            Map<String, Set<String>> answers = new LinkedHashMap<>();
            for (int i = 0; i < 300; i++) {
                String user = "user-" + i;
                Map<String, String> fields = new LinkedHashMap<>();
                fields.put("org_id", "org-" + (i % 5));
                if (plans[i % 4] != null) fields.put("plan", plans[i % 4]);
                fields.put("country", countries[i % 3]);
                String appVersion = versions[(i / 3) % 4];

                ObjectNode body = Http.JSON.createObjectNode();
                body.put("user_id", user);
                fields.forEach(body::put);
                body.putObject("properties").put("app_version", appVersion);
                JsonNode server = evaluate(http, body.toString()).json().get("flags");

                Map<String, Value> attributes = new LinkedHashMap<>();
                fields.forEach((k, v) -> attributes.put(k, new Value(v)));
                attributes.put("app_version", new Value(appVersion));
                ImmutableContext context = new ImmutableContext(user, attributes);

                for (Map.Entry<String, String> flag : flags.entrySet()) {
                    JsonNode expected = server.get(flag.getKey());
                    assertThat(expected)
                            .as("flag %s on the server", flag.getKey())
                            .isNotNull();
                    compare(client, flag.getKey(), flag.getValue(), expected, context);
                    answers.computeIfAbsent(flag.getKey(), k -> new TreeSet<>())
                            .add(expected.get("enabled").asBoolean() + "/"
                                    + expected.get("variant").get("name").asString());
                }
            }
            // the contexts reach every branch: each flag answers differently for some of them, but the two off ones
            answers.forEach((key, seen) -> assertThat(seen)
                    .as("answers of %s", key)
                    .hasSizeGreaterThan(key.equals(disabled) || key.equals(killed) ? 0 : 1));
            assertThat(answers.get(killed)).containsExactly("false/disabled");
            assertThat(answers.get(text)).contains("true/a", "true/b", "false/disabled");
            assertThat(answers.get(limit)).contains("true/ten", "true/twenty", "true/five");
        } finally {
            killSwitch(killed, false);
        }
    }

    /** The provider's answer for one flag equals the evaluate API's. */
    private static void compare(Client client, String key, String kind, JsonNode expected, ImmutableContext ctx) {
        boolean enabled = expected.get("enabled").asBoolean();
        JsonNode variant = expected.get("variant");
        String what = key + " for " + ctx.getTargetingKey() + " " + ctx.asObjectMap();
        if (kind.equals("boolean")) {
            FlagEvaluationDetails<Boolean> d = client.getBooleanDetails(key, !enabled, ctx);
            assertThat(d.getValue()).as(what).isEqualTo(enabled);
            assertThat(d.getErrorCode()).as(what).isNull();
            return;
        }
        boolean answered = enabled && variant.get("enabled").asBoolean();
        String payload = answered ? variant.get("payload").get("value").asString() : null;
        FlagEvaluationDetails<?> d;
        Object actual;
        Object wanted;
        switch (kind) {
            case "string" -> {
                d = client.getStringDetails(key, "none", ctx);
                actual = d.getValue();
                wanted = answered ? payload : "none";
            }
            case "number" -> {
                d = client.getDoubleDetails(key, -1.0, ctx);
                actual = d.getValue();
                wanted = answered ? Double.parseDouble(payload) : -1.0;
            }
            case "json" -> {
                FlagEvaluationDetails<Value> object = client.getObjectDetails(key, new Value("none"), ctx);
                d = object;
                Value v = object.getValue();
                actual = v.isStructure() ? v.asStructure().asObjectMap() : v.asString();
                wanted = answered ? Http.JSON.readValue(payload, Map.class) : "none";
            }
            default -> throw new IllegalArgumentException(kind);
        }
        assertThat(actual).as(what).isEqualTo(wanted);
        assertThat(d.getErrorCode()).as(what).isNull();
        if (answered) {
            assertThat(d.getVariant()).as(what).isEqualTo(variant.get("name").asString());
        } else {
            assertThat(d.getReason()).as(what).isIn("DEFAULT", "DISABLED");
        }
    }

    @Test
    void aKillSwitchReachesTheProviderWithinItsDocumentedRefresh() {
        String key = unique("of.kill");
        create("{\"key\": \"" + key + "\", \"kind\": \"boolean\", \"enabled\": true}");
        GatehouseProvider provider = connect(GatehouseProvider.DEFAULT_POLL_INTERVAL);
        until(provider, serverVersion());
        Client client = api.getClient();
        ImmutableContext ctx = new ImmutableContext("user-1");
        assertThat(client.getBooleanValue(key, false, ctx)).isTrue();

        List<Long> seen = new ArrayList<>();
        for (int round = 0; round < 5; round++) {
            for (boolean active : new boolean[] {true, false}) {
                // flip at a random point of the poll cycle: right after an observation it would always be the worst
                LockSupport.parkNanos(
                        ThreadLocalRandom.current().nextLong(GatehouseProvider.DEFAULT_POLL_INTERVAL.toNanos()));
                long started = System.nanoTime();
                killSwitch(key, active);
                seen.add(observed(client, key, ctx, !active, started));
            }
        }
        long started = System.nanoTime();
        try {
            killSwitch("global", true);
            seen.add(observed(client, key, ctx, false, started));
        } finally {
            killSwitch("global", false);
        }
        observed(client, key, ctx, true, System.nanoTime());
        assertThat(client.getBooleanDetails(key, false, ctx).getReason()).isEqualTo("STATIC");

        List<Long> sorted = seen.stream().sorted().toList();
        long worst = sorted.get(sorted.size() - 1);
        System.out.println("openfeature_kill_switch_ms " + seen + " median=" + sorted.get(sorted.size() / 2)
                + " worst=" + worst + " poll_interval_ms="
                + GatehouseProvider.DEFAULT_POLL_INTERVAL.toMillis());
        // the documented bound: one poll interval plus the server's propagation (under 1 s)
        assertThat(Duration.ofMillis(worst))
                .as("kill switch seen by the provider")
                .isLessThan(GatehouseProvider.DEFAULT_POLL_INTERVAL.plusSeconds(1));
    }

    /** Evaluates every 2 ms until the flag answers {@code expected}; the milliseconds since {@code started}. */
    private static long observed(Client client, String key, ImmutableContext ctx, boolean expected, long started) {
        while (true) {
            FlagEvaluationDetails<Boolean> d = client.getBooleanDetails(key, !expected, ctx);
            if (d.getValue() == expected && d.getErrorCode() == null) {
                if (!expected) assertThat(d.getReason()).isEqualTo("DISABLED");
                return Duration.ofNanos(System.nanoTime() - started).toMillis();
            }
            assertThat(Duration.ofNanos(System.nanoTime() - started))
                    .as("%s still %s in the provider", key, !expected)
                    .isLessThan(Duration.ofSeconds(10));
            LockSupport.parkNanos(Duration.ofMillis(2).toNanos());
        }
    }
}
