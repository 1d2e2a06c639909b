package dev.gatehouse.client.flags;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * Converts an Unleash feature state into Gatehouse flags and segments that evaluate the same way: the document of
 * Unleash's client API ({@code GET /api/client/features}: {@code features}, {@code segments}), or a delta-API
 * document ({@code events}: hydration, feature and segment updates and removals), which is folded first.
 *
 * <p>Strategies map onto Gatehouse's: {@code default}; {@code flexibleRollout}; {@code gradualRolloutUserId},
 * {@code gradualRolloutSessionId} and {@code gradualRolloutRandom} become flexible rollouts sticky on the user,
 * the session or nothing (same buckets); {@code userWithId} becomes a user allow-list; {@code remoteAddress}
 * stays. Unleash's context names become Gatehouse's ({@code userId} → {@code user_id}, ...); other names stay
 * property names. Segments referenced by id become segments referenced by name.
 *
 * <p>What can never match in Unleash (an unknown operator, a missing segment, a strategy without its required
 * parameters) is dropped with a warning, and a flag left with no strategy of a non-empty list is imported
 * disabled, which evaluates identically. What Gatehouse does not support ({@code applicationHostname}, custom
 * strategies) is dropped with a warning too; there the result can differ, which the warning says.
 */
public final class UnleashImport {

    /** What an import produces; {@code warnings} name each thing left out and why. */
    public record Result(List<Flag> flags, List<Segment> segments, List<String> warnings) {}

    private static final Map<String, String> CONTEXT = Map.of(
            "userId", FlagContext.USER_ID,
            "sessionId", FlagContext.SESSION_ID,
            "remoteAddress", FlagContext.REMOTE_ADDRESS,
            "appName", FlagContext.APP_NAME,
            "currentTime", FlagContext.CURRENT_TIME,
            "environment", FlagContext.ENVIRONMENT);

    private final List<String> warnings = new ArrayList<>();
    private final Map<Integer, String> segmentNames = new HashMap<>();

    private UnleashImport() {}

    /** Converts a parsed Unleash document; refuses (IllegalArgumentException) one that is not of either shape. */
    public static Result convert(JsonNode document) {
        if (document == null || !document.isObject()) {
            throw new IllegalArgumentException("an Unleash feature state is a JSON object");
        }
        JsonNode state = document.has("events") ? fold(document.get("events")) : document;
        if (!state.has("features") || !state.get("features").isArray()) {
            throw new IllegalArgumentException("an Unleash feature state has a features array (or delta events)");
        }
        return new UnleashImport().run(state);
    }

    /** Unleash's context field name as Gatehouse names it. */
    public static String contextName(String unleash) {
        return CONTEXT.getOrDefault(unleash, unleash);
    }

    /** Folds delta-API events, in order, into one features-and-segments state. */
    private static JsonNode fold(JsonNode events) {
        if (!events.isArray()) throw new IllegalArgumentException("events must be an array");
        Map<String, JsonNode> features = new LinkedHashMap<>();
        Map<String, JsonNode> segments = new LinkedHashMap<>();
        for (JsonNode e : events.values()) {
            String type = e.path("type").asString("");
            switch (type) {
                case "hydration" -> {
                    features.clear();
                    segments.clear();
                    for (JsonNode f : e.path("features").values())
                        features.put(f.path("name").asString(""), f);
                    for (JsonNode s : e.path("segments").values())
                        segments.put(s.path("id").asString(""), s);
                }
                case "feature-updated" -> {
                    JsonNode f = e.path("feature");
                    features.put(f.path("name").asString(""), f);
                }
                case "feature-removed" -> features.remove(e.path("featureName").asString(""));
                case "segment-updated" -> {
                    JsonNode s = e.path("segment");
                    segments.put(s.path("id").asString(""), s);
                }
                case "segment-removed" -> segments.remove(e.path("segmentId").asString(""));
                default -> throw new IllegalArgumentException("unknown delta event type '" + type + "'");
            }
        }
        var state = tools.jackson.databind.node.JsonNodeFactory.instance.objectNode();
        var f = state.putArray("features");
        features.values().forEach(f::add);
        var s = state.putArray("segments");
        segments.values().forEach(s::add);
        return state;
    }

    private Result run(JsonNode state) {
        List<Segment> segments = new ArrayList<>();
        Set<String> taken = new HashSet<>();
        for (JsonNode s : state.path("segments").values()) {
            int id = s.path("id").asInt(Integer.MIN_VALUE);
            if (id == Integer.MIN_VALUE) {
                warnings.add("a segment without a numeric id was left out");
                continue;
            }
            String name = s.path("name").asString("");
            if (!validKey(name) || !taken.add(name)) name = "unleash-segment-" + id;
            taken.add(name);
            List<Constraint> constraints = new ArrayList<>();
            String problem = constraints(s.path("constraints"), constraints);
            if (problem != null) {
                // A segment that can never hold: its strategies can never match, so they are left out below.
                warnings.add("segment " + id + " (" + name + ") left out: " + problem);
                continue;
            }
            segmentNames.put(id, name);
            segments.add(new Segment(name, textOrNull(s.get("description")), constraints));
        }
        List<Flag> flags = new ArrayList<>();
        for (JsonNode f : state.path("features").values()) {
            Flag flag = feature(f);
            if (flag != null) flags.add(flag);
        }
        return new Result(List.copyOf(flags), List.copyOf(segments), List.copyOf(warnings));
    }

    private Flag feature(JsonNode f) {
        String name = f.path("name").asString("");
        if (!validKey(name)) {
            warnings.add("feature '" + name + "' left out: not a valid Gatehouse flag key");
            return null;
        }
        boolean enabled = f.path("enabled").asBoolean(false);
        List<Strategy> strategies = new ArrayList<>();
        int given = 0;
        for (JsonNode s : f.path("strategies").values()) {
            given++;
            Strategy strategy = strategy(name, s);
            if (strategy != null) strategies.add(strategy);
        }
        if (given > 0 && strategies.isEmpty()) {
            // Every strategy was one that never matches: the flag is off for everyone, and disabled says so.
            warnings.add("feature " + name + " imported disabled: none of its strategies can match");
            enabled = false;
        }
        List<Variant> variants = variants(f.path("variants"), null);
        List<Dependency> dependencies = new ArrayList<>();
        for (JsonNode d : f.path("dependencies").values()) {
            List<String> names = new ArrayList<>();
            for (JsonNode v : d.path("variants").values()) names.add(v.asString(""));
            dependencies.add(new Dependency(
                    d.path("feature").asString(""), d.path("enabled").asBoolean(true), names));
        }
        boolean hasVariants = !variants.isEmpty()
                || strategies.stream().anyMatch(s -> !s.variants().isEmpty());
        try {
            return new Flag(
                    name,
                    hasVariants ? FlagKind.VARIANT : FlagKind.BOOLEAN,
                    textOrNull(f.get("description")),
                    enabled,
                    strategies,
                    variants,
                    dependencies);
        } catch (IllegalArgumentException e) {
            warnings.add("feature " + name + " left out: " + e.getMessage());
            return null;
        }
    }

    private Strategy strategy(String flag, JsonNode s) {
        String type = s.path("name").asString("");
        JsonNode params = s.path("parameters");
        String stickinessParam = textOrNull(params.get("stickiness"));
        String stickiness =
                stickinessParam == null || stickinessParam.equals("default") ? null : contextName(stickinessParam);
        String groupId = textOrNull(params.get("groupId"));
        Strategy base;
        switch (type) {
            case "default" ->
                base = new Strategy(
                        StrategyType.DEFAULT, null, stickiness, groupId, null, null, null, null, null, null);
            case "flexibleRollout" -> {
                Integer rollout = percent(params.get("rollout"));
                if (rollout == null) return never(flag, type, "its rollout is missing or not a whole number");
                base = new Strategy(
                        StrategyType.FLEXIBLE_ROLLOUT,
                        rollout,
                        stickiness,
                        groupId,
                        null,
                        null,
                        null,
                        null,
                        null,
                        null);
            }
            case "gradualRolloutUserId", "gradualRolloutSessionId" -> {
                Integer percentage = percent(params.get("percentage"));
                if (percentage == null || groupId == null) {
                    return never(flag, type, "it needs a whole-number percentage and a groupId");
                }
                String sticky = type.equals("gradualRolloutUserId") ? FlagContext.USER_ID : FlagContext.SESSION_ID;
                base = new Strategy(
                        StrategyType.FLEXIBLE_ROLLOUT, percentage, sticky, groupId, null, null, null, null, null, null);
            }
            case "gradualRolloutRandom" -> {
                Integer percentage = percent(params.get("percentage"));
                if (percentage == null) return never(flag, type, "its percentage is missing or not a whole number");
                base = new Strategy(
                        StrategyType.FLEXIBLE_ROLLOUT,
                        percentage,
                        "random",
                        groupId,
                        null,
                        null,
                        null,
                        null,
                        null,
                        null);
            }
            case "userWithId" -> {
                String ids = textOrNull(params.get("userIds"));
                if (ids == null) return never(flag, type, "it has no userIds");
                base = new Strategy(
                        StrategyType.USER_IDS, null, stickiness, groupId, split(ids), null, null, null, null, null);
            }
            case "remoteAddress" -> {
                String ips = textOrNull(params.get("IPs"));
                if (ips == null) return never(flag, type, "it has no IPs");
                base = new Strategy(
                        StrategyType.REMOTE_ADDRESS,
                        null,
                        stickiness,
                        groupId,
                        null,
                        null,
                        split(ips),
                        null,
                        null,
                        null);
            }
            default -> {
                warnings.add("feature " + flag + ": strategy '" + type + "' left out: Gatehouse does not support it"
                        + " (it may have matched in Unleash)");
                return null;
            }
        }
        List<Constraint> constraints = new ArrayList<>();
        String problem = constraints(s.path("constraints"), constraints);
        if (problem != null) return never(flag, type, problem);
        List<String> segments = new ArrayList<>();
        for (JsonNode id : s.path("segments").values()) {
            String name = segmentNames.get(id.asInt(Integer.MIN_VALUE));
            if (name == null) return never(flag, type, "it uses segment " + id.asString() + ", which is missing");
            segments.add(name);
        }
        return base.withConstraints(constraints)
                .withSegments(segments)
                .withVariants(variants(s.path("variants"), null));
    }

    private Strategy never(String flag, String type, String why) {
        warnings.add("feature " + flag + ": strategy '" + type + "' left out: it can never match (" + why + ")");
        return null;
    }

    /** Fills {@code out}; returns why the list can never hold, or null. */
    private static String constraints(JsonNode list, List<Constraint> out) {
        for (JsonNode c : list.values()) {
            String opName = c.path("operator").asString("");
            Operator op = Operator.byName(opName);
            if (op == null) return "unknown operator " + opName;
            String context = contextName(c.path("contextName").asString(""));
            if (context.isBlank()) return "a constraint has no contextName";
            boolean inverted = c.path("inverted").asBoolean(false);
            // Unleash's engine ignores caseInsensitive for IN and NOT_IN; Gatehouse honours it, so it is cleared.
            boolean caseInsensitive =
                    c.path("caseInsensitive").asBoolean(false) && op != Operator.IN && op != Operator.NOT_IN;
            if (op.takesList()) {
                List<String> values = new ArrayList<>();
                for (JsonNode v : c.path("values").values()) values.add(v.asString(""));
                out.add(new Constraint(context, op, values, null, inverted, caseInsensitive));
            } else {
                String value = textOrNull(c.get("value"));
                if (value == null) return op + " without a value";
                out.add(new Constraint(context, op, List.of(), value, inverted, caseInsensitive));
            }
        }
        return null;
    }

    private List<Variant> variants(JsonNode list, String stickinessOverride) {
        List<Variant> out = new ArrayList<>();
        for (JsonNode v : list.values()) {
            String stickiness = textOrNull(v.get("stickiness"));
            if (stickiness != null) stickiness = stickiness.equals("default") ? "default" : contextName(stickiness);
            if (stickinessOverride != null) stickiness = stickinessOverride;
            JsonNode p = v.get("payload");
            Payload payload = null;
            if (p != null && p.isObject()) {
                JsonNode value = p.get("value");
                payload = new Payload(
                        p.path("type").asString("string"),
                        value == null || value.isNull()
                                ? ""
                                : value.isString() ? value.stringValue() : value.toString());
            }
            List<VariantOverride> overrides = new ArrayList<>();
            for (JsonNode o : v.path("overrides").values()) {
                List<String> values = new ArrayList<>();
                for (JsonNode x : o.path("values").values()) values.add(x.asString(""));
                overrides.add(
                        new VariantOverride(contextName(o.path("contextName").asString("")), values));
            }
            out.add(new Variant(
                    v.path("name").asString(""), v.path("weight").asInt(0), stickiness, payload, overrides));
        }
        return out;
    }

    /** A whole-number percentage as Unleash reads it (text or number); above 100 counts as 100. */
    private static Integer percent(JsonNode n) {
        if (n == null || n.isNull()) return null;
        String s = n.isString() ? n.stringValue() : n.isIntegralNumber() ? n.asString() : null;
        if (s == null || s.isEmpty() || s.length() > 9 || !s.chars().allMatch(Character::isDigit)) return null;
        return Math.min(100, Integer.parseInt(s));
    }

    private static List<String> split(String csv) {
        List<String> out = new ArrayList<>();
        for (String part : csv.split(",", -1)) out.add(part.strip());
        return out;
    }

    private static String textOrNull(JsonNode n) {
        return n == null || n.isNull() ? null : n.isString() ? n.stringValue() : n.asString();
    }

    private static boolean validKey(String key) {
        try {
            Checks.key(key, "key");
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
