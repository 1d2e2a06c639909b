package dev.gatehouse.bench;

import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The flags and callers of the local-evaluation benchmark, as one Unleash features document ({@code GET
 * /api/client/features}, version 2, with a segment) that both SDKs load. Five shapes, the same as the HTTP
 * benchmark's ({@code bench/scripts/flags-evaluate.sh}), four flags of each: a 50 % rollout; a plan constraint with
 * a segment on country; a user allow-list and a 10 % rollout; a semver constraint on a property (greater than 2.0.0); a variant flag at
 * 80 % with two string payloads. 1,000 callers with a user id, a plan, a country and an app version.
 */
final class FlagWorkload {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String[] PLANS = {"free", "pro", "team"};
    private static final String[] COUNTRIES = {"FR", "DE", "US", "GB"};
    private static final String[] VERSIONS = {"1.9.0", "2.0.0", "2.3.1-beta.1", "2.3.1"};

    record Caller(String userId, String plan, String country, String appVersion) {}

    private final int groups;
    private final int callers;

    private FlagWorkload(int groups, int callers) {
        this.groups = groups;
        this.callers = callers;
    }

    /** 20 flags, 1,000 callers. */
    static FlagWorkload standard() {
        return new FlagWorkload(4, 1000);
    }

    List<String> booleanFlags() {
        List<String> keys = new ArrayList<>();
        for (int g = 0; g < groups; g++) {
            keys.add("bench.rollout." + g);
            keys.add("bench.plan." + g);
            keys.add("bench.allow." + g);
            keys.add("bench.semver." + g);
        }
        return keys;
    }

    List<String> variantFlags() {
        List<String> keys = new ArrayList<>();
        for (int g = 0; g < groups; g++) keys.add("bench.variant." + g);
        return keys;
    }

    List<Caller> callers() {
        List<Caller> list = new ArrayList<>(callers);
        for (int i = 0; i < callers; i++) {
            list.add(new Caller(
                    "user-" + i,
                    PLANS[i % PLANS.length],
                    COUNTRIES[(i / 3) % COUNTRIES.length],
                    VERSIONS[(i / 7) % VERSIONS.length]));
        }
        return list;
    }

    String unleashDocument() {
        ObjectNode doc = JSON.createObjectNode();
        doc.put("version", 2);
        ObjectNode segment = doc.putArray("segments").addObject();
        segment.put("id", 1);
        segment.put("name", "europe");
        constraint(segment.putArray("constraints"), "country", "IN", "FR", "DE");
        ArrayNode features = doc.putArray("features");
        for (int g = 0; g < groups; g++) {
            ObjectNode rollout = feature(features, "bench.rollout." + g);
            rollout(rollout.putArray("strategies"), "bench.rollout." + g, 50, "default");

            ObjectNode plan = feature(features, "bench.plan." + g);
            ObjectNode byPlan = strategy(plan.putArray("strategies"), "default");
            constraint(byPlan.putArray("constraints"), "plan", "IN", "pro", "team");
            byPlan.putArray("segments").add(1);

            ObjectNode allow = feature(features, "bench.allow." + g);
            ArrayNode allowStrategies = allow.putArray("strategies");
            StringBuilder users = new StringBuilder();
            for (int u = 0; u < 50; u++)
                users.append(u == 0 ? "" : ",").append("user-").append(u * 17 + g);
            strategy(allowStrategies, "userWithId").putObject("parameters").put("userIds", users.toString());
            rollout(allowStrategies, "bench.allow." + g, 10, "userId");

            ObjectNode semver = feature(features, "bench.semver." + g);
            ObjectNode bySemver = strategy(semver.putArray("strategies"), "default");
            ObjectNode c = bySemver.putArray("constraints").addObject();
            c.put("contextName", "app_version");
            c.put("operator", "SEMVER_GT"); // Unleash has no SEMVER_GTE (Gatehouse does)
            c.put("value", "2.0.0");
            c.put("inverted", false);
            c.put("caseInsensitive", false);

            ObjectNode variant = feature(features, "bench.variant." + g);
            rollout(variant.putArray("strategies"), "bench.variant." + g, 80, "default");
            ArrayNode variants = variant.putArray("variants");
            for (String name : new String[] {"a", "b"}) {
                ObjectNode v = variants.addObject();
                v.put("name", name);
                v.put("weight", 500);
                v.put("weightType", "variable");
                v.put("stickiness", "default");
                ObjectNode payload = v.putObject("payload");
                payload.put("type", "string");
                payload.put("value", name.toUpperCase(java.util.Locale.ROOT));
            }
        }
        return JSON.writeValueAsString(doc);
    }

    private static ObjectNode feature(ArrayNode features, String name) {
        ObjectNode f = features.addObject();
        f.put("name", name);
        f.put("type", "release");
        f.put("enabled", true);
        f.put("project", "default");
        f.put("stale", false);
        f.put("impressionData", false);
        return f;
    }

    private static ObjectNode strategy(ArrayNode strategies, String name) {
        ObjectNode s = strategies.addObject();
        s.put("name", name);
        return s;
    }

    private static void rollout(ArrayNode strategies, String groupId, int percent, String stickiness) {
        ObjectNode p = strategy(strategies, "flexibleRollout").putObject("parameters");
        p.put("rollout", Integer.toString(percent));
        p.put("stickiness", stickiness);
        p.put("groupId", groupId);
    }

    private static void constraint(ArrayNode constraints, String context, String operator, String... values) {
        ObjectNode c = constraints.addObject();
        c.put("contextName", context);
        c.put("operator", operator);
        ArrayNode list = c.putArray("values");
        for (String v : values) list.add(v);
        c.put("inverted", false);
        c.put("caseInsensitive", false);
    }
}
