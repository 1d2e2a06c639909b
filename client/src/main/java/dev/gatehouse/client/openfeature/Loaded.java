package dev.gatehouse.client.openfeature;

import dev.gatehouse.client.flags.Flag;
import dev.gatehouse.client.flags.FlagEngine;
import dev.gatehouse.client.flags.FlagKind;
import dev.gatehouse.client.flags.Payload;
import dev.gatehouse.client.flags.Segment;
import dev.gatehouse.client.flags.Snapshot;
import dev.gatehouse.client.flags.Strategy;
import dev.gatehouse.client.flags.Variant;
import dev.openfeature.sdk.ImmutableMetadata;
import dev.openfeature.sdk.ImmutableStructure;
import dev.openfeature.sdk.Value;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A snapshot made ready to answer OpenFeature: its compiled engine, what each flag's reason depends on, and its
 * JSON payloads already turned into OpenFeature {@link Value}s (parsed once per snapshot, not per evaluation).
 * Immutable; the provider swaps the whole object when a new snapshot arrives.
 */
final class Loaded {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** Payload type whose value is a JSON document, answered by object evaluations. */
    static final String JSON_PAYLOAD = "json";

    final Snapshot snapshot;
    final FlagEngine engine;
    final ImmutableMetadata metadata;
    private final Map<String, Entry> flags;
    private final Map<Payload, Value> json;

    /**
     * @param disabled off for everyone: not enabled, or its kill switch or the global one is on
     * @param constant the answer is the same for every context (no strategies, no dependencies, at most one
     *     possible variant): reason {@code STATIC} rather than {@code TARGETING_MATCH}
     */
    record Entry(Flag flag, boolean disabled, boolean constant) {}

    private Loaded(Snapshot snapshot, Clock clock) {
        this.snapshot = snapshot;
        this.engine = FlagEngine.of(snapshot, clock);
        this.metadata = snapshot.version() == null
                ? ImmutableMetadata.EMPTY
                : ImmutableMetadata.builder()
                        .addString("snapshot_version", snapshot.version())
                        .build();
        Map<String, Entry> entries = new HashMap<>();
        Map<Payload, Value> parsed = new HashMap<>();
        for (Flag f : snapshot.flags()) {
            boolean disabled =
                    !f.enabled() || snapshot.globalKill() || snapshot.killed().contains(f.key());
            entries.put(f.key(), new Entry(f, disabled, constant(f)));
            for (Variant v : variants(f)) {
                Payload p = v.payload();
                if (p != null && p.type().equals(JSON_PAYLOAD) && !parsed.containsKey(p)) parsed.put(p, value(p));
            }
        }
        this.flags = entries;
        this.json = parsed;
    }

    static Loaded of(Snapshot snapshot, Clock clock) {
        return new Loaded(snapshot, clock);
    }

    Entry flag(String key) {
        return flags.get(key);
    }

    /** The payload's JSON as a {@link Value}; null if it is not valid JSON. */
    Value json(Payload payload) {
        return json.get(payload);
    }

    /**
     * Keys of the flags whose answer may differ between {@code previous} and this: added, removed, changed, killed
     * or revived, or using a segment that changed. Sorted.
     */
    List<String> changedSince(Loaded previous) {
        Map<String, Segment> before = segments(previous.snapshot);
        Map<String, Segment> after = segments(snapshot);
        TreeSet<String> changed = new TreeSet<>();
        for (String key : previous.flags.keySet()) if (!flags.containsKey(key)) changed.add(key);
        for (Map.Entry<String, Entry> e : flags.entrySet()) {
            Entry was = previous.flags.get(e.getKey());
            Entry now = e.getValue();
            if (was == null || !was.flag().equals(now.flag()) || was.disabled() != now.disabled()) {
                changed.add(e.getKey());
                continue;
            }
            for (Strategy s : now.flag().strategies()) {
                for (String name : s.segments()) {
                    if (!Objects.equals(before.get(name), after.get(name))) changed.add(e.getKey());
                }
            }
        }
        return new ArrayList<>(changed);
    }

    private static Map<String, Segment> segments(Snapshot snapshot) {
        Map<String, Segment> byName = new HashMap<>();
        for (Segment s : snapshot.segments()) byName.put(s.name(), s);
        return byName;
    }

    private static boolean constant(Flag f) {
        if (!f.strategies().isEmpty() || !f.dependencies().isEmpty()) return false;
        if (f.kind() == FlagKind.BOOLEAN) return true;
        return f.variants().size() == 1 && f.variants().get(0).overrides().isEmpty();
    }

    private static List<Variant> variants(Flag f) {
        List<Variant> all = new ArrayList<>(f.variants());
        for (Strategy s : f.strategies()) all.addAll(s.variants());
        return all;
    }

    private static Value value(Payload payload) {
        try {
            return value(JSON.readTree(payload.value()));
        } catch (JacksonException e) {
            return null;
        }
    }

    /** A JSON tree as an OpenFeature value: objects become immutable structures, arrays unmodifiable lists. */
    static Value value(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) return new Value();
        if (node.isBoolean()) return new Value(node.booleanValue());
        if (node.isString()) return new Value(node.stringValue());
        if (node.isInt()) return new Value(node.intValue());
        if (node.isIntegralNumber() && node.canConvertToLong()) return new Value(node.longValue());
        if (node.isNumber()) return new Value(node.doubleValue());
        if (node.isArray()) {
            List<Value> items = new ArrayList<>(node.size());
            for (JsonNode item : node.values()) items.add(value(item));
            return new Value(List.copyOf(items));
        }
        Map<String, Value> members = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> m : node.properties()) members.put(m.getKey(), value(m.getValue()));
        return new Value(new ImmutableStructure(members));
    }
}
