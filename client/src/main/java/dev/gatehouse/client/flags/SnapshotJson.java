package dev.gatehouse.client.flags;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The JSON form of flags, segments and snapshots (snake_case members, nulls and empty lists left out). It is the
 * server's snapshot document ({@code GET /api/v1/flags/snapshot}), the form the server stores each flag in, and
 * what a client reads to evaluate locally; {@code docs/flags.md} shows it.
 */
public final class SnapshotJson {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private SnapshotJson() {}

    public static Snapshot parse(String json) {
        try {
            return snapshot(JSON.readTree(json));
        } catch (JacksonException e) {
            throw new IllegalArgumentException("not a JSON document: " + e.getOriginalMessage());
        }
    }

    public static String write(Snapshot snapshot) {
        return JSON.writeValueAsString(toJson(snapshot));
    }

    public static ObjectNode toJson(Snapshot s) {
        ObjectNode o = NODES.objectNode();
        if (s.version() != null) o.put("version", s.version());
        o.put("global_kill", s.globalKill());
        ArrayNode killed = o.putArray("killed");
        s.killed().stream().sorted().forEach(killed::add);
        ArrayNode segments = o.putArray("segments");
        s.segments().forEach(seg -> segments.add(toJson(seg)));
        ArrayNode flags = o.putArray("flags");
        s.flags().forEach(f -> flags.add(toJson(f)));
        return o;
    }

    public static Snapshot snapshot(JsonNode o) {
        object(o, "snapshot");
        Set<String> killed = new LinkedHashSet<>(strings(o, "killed"));
        return new Snapshot(
                optionalText(o, "version"),
                list(o, "flags", SnapshotJson::flag),
                list(o, "segments", SnapshotJson::segment),
                killed,
                bool(o, "global_kill", false));
    }

    public static ObjectNode toJson(Flag f) {
        ObjectNode o = NODES.objectNode();
        o.put("key", f.key());
        o.put("kind", f.kind().wire());
        if (f.description() != null) o.put("description", f.description());
        o.put("enabled", f.enabled());
        array(o, "strategies", f.strategies(), SnapshotJson::toJson);
        array(o, "variants", f.variants(), SnapshotJson::toJson);
        array(o, "dependencies", f.dependencies(), d -> {
            ObjectNode n = NODES.objectNode();
            n.put("flag", d.flag());
            n.put("enabled", d.enabled());
            strings(n, "variants", d.variants());
            return n;
        });
        return o;
    }

    public static Flag flag(JsonNode o) {
        object(o, "flag");
        return new Flag(
                text(o, "key"),
                FlagKind.of(text(o, "kind")),
                optionalText(o, "description"),
                bool(o, "enabled", true),
                list(o, "strategies", SnapshotJson::strategy),
                list(o, "variants", SnapshotJson::variant),
                list(
                        o,
                        "dependencies",
                        d -> new Dependency(text(d, "flag"), bool(d, "enabled", true), strings(d, "variants"))));
    }

    public static ObjectNode toJson(Segment s) {
        ObjectNode o = NODES.objectNode();
        o.put("name", s.name());
        if (s.description() != null) o.put("description", s.description());
        array(o, "constraints", s.constraints(), SnapshotJson::toJson);
        return o;
    }

    public static Segment segment(JsonNode o) {
        object(o, "segment");
        return new Segment(
                text(o, "name"), optionalText(o, "description"), list(o, "constraints", SnapshotJson::constraint));
    }

    static ObjectNode toJson(Strategy s) {
        ObjectNode o = NODES.objectNode();
        o.put("type", s.type().wire());
        if (s.rollout() != null) o.put("rollout", s.rollout());
        if (s.stickiness() != null) o.put("stickiness", s.stickiness());
        if (s.groupId() != null) o.put("group_id", s.groupId());
        strings(o, "user_ids", s.userIds());
        strings(o, "org_ids", s.orgIds());
        strings(o, "ips", s.ips());
        array(o, "constraints", s.constraints(), SnapshotJson::toJson);
        strings(o, "segments", s.segments());
        array(o, "variants", s.variants(), SnapshotJson::toJson);
        return o;
    }

    static Strategy strategy(JsonNode o) {
        object(o, "strategy");
        JsonNode rollout = o.get("rollout");
        if (rollout != null && !rollout.isNull() && !rollout.isInt()) {
            throw new IllegalArgumentException("rollout must be an integer");
        }
        return new Strategy(
                StrategyType.of(text(o, "type")),
                rollout == null || rollout.isNull() ? null : rollout.intValue(),
                optionalText(o, "stickiness"),
                optionalText(o, "group_id"),
                strings(o, "user_ids"),
                strings(o, "org_ids"),
                strings(o, "ips"),
                list(o, "constraints", SnapshotJson::constraint),
                strings(o, "segments"),
                list(o, "variants", SnapshotJson::variant));
    }

    static ObjectNode toJson(Constraint c) {
        ObjectNode o = NODES.objectNode();
        o.put("context_name", c.contextName());
        o.put("operator", c.operator().name());
        if (c.operator().takesList()) strings(o, "values", c.values(), /* always= */ true);
        if (c.value() != null) o.put("value", c.value());
        if (c.inverted()) o.put("inverted", true);
        if (c.caseInsensitive()) o.put("case_insensitive", true);
        return o;
    }

    static Constraint constraint(JsonNode o) {
        object(o, "constraint");
        String name = text(o, "operator");
        Operator op = Operator.byName(name);
        if (op == null) throw new IllegalArgumentException("unknown operator " + name);
        return new Constraint(
                text(o, "context_name"),
                op,
                strings(o, "values"),
                optionalText(o, "value"),
                bool(o, "inverted", false),
                bool(o, "case_insensitive", false));
    }

    static ObjectNode toJson(Variant v) {
        ObjectNode o = NODES.objectNode();
        o.put("name", v.name());
        o.put("weight", v.weight());
        if (v.stickiness() != null) o.put("stickiness", v.stickiness());
        if (v.payload() != null) {
            ObjectNode p = o.putObject("payload");
            p.put("type", v.payload().type());
            p.put("value", v.payload().value());
        }
        array(o, "overrides", v.overrides(), ov -> {
            ObjectNode n = NODES.objectNode();
            n.put("context_name", ov.contextName());
            strings(n, "values", ov.values(), /* always= */ true);
            return n;
        });
        return o;
    }

    static Variant variant(JsonNode o) {
        object(o, "variant");
        JsonNode weight = o.get("weight");
        if (weight == null || !weight.isInt()) throw new IllegalArgumentException("variant weight must be an integer");
        JsonNode p = o.get("payload");
        Payload payload = p == null || p.isNull() ? null : new Payload(text(p, "type"), text(p, "value"));
        return new Variant(
                text(o, "name"),
                weight.intValue(),
                optionalText(o, "stickiness"),
                payload,
                list(o, "overrides", ov -> new VariantOverride(text(ov, "context_name"), strings(ov, "values"))));
    }

    // --- helpers ---

    private static void object(JsonNode o, String what) {
        if (o == null || !o.isObject()) throw new IllegalArgumentException(what + " must be a JSON object");
    }

    private static String text(JsonNode o, String field) {
        JsonNode v = o.get(field);
        if (v == null || !v.isString()) throw new IllegalArgumentException(field + " must be a string");
        return v.stringValue();
    }

    private static String optionalText(JsonNode o, String field) {
        JsonNode v = o.get(field);
        if (v == null || v.isNull()) return null;
        if (!v.isString()) throw new IllegalArgumentException(field + " must be a string");
        return v.stringValue();
    }

    private static boolean bool(JsonNode o, String field, boolean absent) {
        JsonNode v = o.get(field);
        if (v == null || v.isNull()) return absent;
        if (!v.isBoolean()) throw new IllegalArgumentException(field + " must be true or false");
        return v.asBoolean();
    }

    private static List<String> strings(JsonNode o, String field) {
        return list(o, field, v -> {
            if (!v.isString()) throw new IllegalArgumentException(field + " must hold strings");
            return v.stringValue();
        });
    }

    private static <T> List<T> list(JsonNode o, String field, Function<JsonNode, T> item) {
        JsonNode v = o.get(field);
        if (v == null || v.isNull()) return List.of();
        if (!v.isArray()) throw new IllegalArgumentException(field + " must be an array");
        List<T> out = new ArrayList<>(v.size());
        for (JsonNode n : v.values()) out.add(item.apply(n));
        return out;
    }

    private static <T> void array(ObjectNode o, String field, List<T> items, Function<T, ObjectNode> write) {
        if (items.isEmpty()) return;
        ArrayNode a = o.putArray(field);
        for (T t : items) a.add(write.apply(t));
    }

    private static void strings(ObjectNode o, String field, List<String> values) {
        strings(o, field, values, false);
    }

    private static void strings(ObjectNode o, String field, List<String> values, boolean always) {
        if (values.isEmpty() && !always) return;
        ArrayNode a = o.putArray(field);
        values.forEach(a::add);
    }

    /** The JSON text of a tree (for storing one flag or segment). */
    public static String text(JsonNode node) {
        return JSON.writeValueAsString(node);
    }

    /** Parses JSON text to a tree; refuses what is not JSON. */
    public static JsonNode tree(String json) {
        try {
            return JSON.readTree(json);
        } catch (JacksonException e) {
            throw new IllegalArgumentException("not a JSON document: " + e.getOriginalMessage());
        }
    }
}
