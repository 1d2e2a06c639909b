package dev.gatehouse.client.flags;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Evaluates a {@link Snapshot}, compiled once (constraints, segments, address ranges), for any number of
 * contexts; immutable and safe to share between threads.
 *
 * <p><b>Compatibility with Unleash.</b> The rules are those of Unleash's engine (Yggdrasil), checked by running
 * Unleash's client specification through it: a rollout puts a context in bucket {@code murmur3_x86_32("{groupId}:
 * {stickiness value}", seed 0) unsigned % 100 + 1} and lets it in when the bucket is at most the percentage; a
 * variant is picked by the same hash with seed 86028157 modulo the sum of the weights, walking the variants'
 * cumulative weights until one reaches it. The group id defaults to the flag's key, so a flag's rollout and its
 * variants are independent of other flags'. Stickiness {@code default} is the user id, else the session id, else
 * a random number (the caller is then not sticky at all).
 */
public final class FlagEngine {

    /** Seed of variant selection (the 5,000,001st prime), so variants do not correlate with rollout buckets. */
    public static final int VARIANT_SEED = 86028157;

    private final Snapshot snapshot;
    private final Map<String, Compiled> flags;
    private final Clock clock;

    private FlagEngine(Snapshot snapshot, Clock clock) {
        this.snapshot = snapshot;
        this.clock = clock;
        Map<String, Segment> segments = new HashMap<>();
        for (Segment s : snapshot.segments()) segments.put(s.name(), s);
        Map<String, Compiled> compiled = new LinkedHashMap<>();
        for (Flag f : snapshot.flags()) compiled.put(f.key(), new Compiled(f, segments, snapshot));
        this.flags = Collections.unmodifiableMap(compiled);
    }

    public static FlagEngine of(Snapshot snapshot) {
        return new FlagEngine(snapshot, Clock.systemUTC());
    }

    /** With the clock that stands in for an absent {@code current_time}. */
    public static FlagEngine of(Snapshot snapshot, Clock clock) {
        return new FlagEngine(snapshot, clock);
    }

    public Snapshot snapshot() {
        return snapshot;
    }

    public Set<String> keys() {
        return flags.keySet();
    }

    public boolean isEnabled(String key, FlagContext context) {
        Compiled flag = flags.get(key);
        return flag != null && enabled(flag, context);
    }

    public Evaluation evaluate(String key, FlagContext context) {
        Compiled flag = flags.get(key);
        if (flag == null) return Evaluation.unknown(key);
        boolean on = enabled(flag, context);
        VariantResult variant = on ? variant(flag, context) : null;
        return new Evaluation(key, on, variant == null ? VariantResult.DISABLED : variant);
    }

    /** Every flag, in the snapshot's order. */
    public List<Evaluation> evaluateAll(FlagContext context) {
        List<Evaluation> all = new ArrayList<>(flags.size());
        for (String key : flags.keySet()) all.add(evaluate(key, context));
        return all;
    }

    private boolean enabled(Compiled flag, FlagContext context) {
        return flag.on && dependenciesHold(flag, context) && matches(flag, context);
    }

    private boolean matches(Compiled flag, FlagContext context) {
        if (flag.strategies.isEmpty()) return true;
        for (CompiledStrategy s : flag.strategies) if (s.matches(context, clock)) return true;
        return false;
    }

    /** A parent must exist and have no dependencies itself; its state and variant must be as expected. */
    private boolean dependenciesHold(Compiled flag, FlagContext context) {
        for (Dependency d : flag.flag.dependencies()) {
            Compiled parent = flags.get(d.flag());
            if (parent == null || !parent.flag.dependencies().isEmpty()) return false;
            boolean parentOn = parent.on && matches(parent, context);
            if (!d.variants().isEmpty()) {
                VariantResult v = variant(parent, context);
                if (v != null && !d.variants().contains(v.name())) return false;
            }
            if (parentOn != d.enabled()) return false;
        }
        return true;
    }

    /** The variant of a flag that is on, or null when it has none for the context. */
    private VariantResult variant(Compiled flag, FlagContext context) {
        for (CompiledStrategy s : flag.strategies) {
            if (!s.variants.isEmpty() && s.matches(context, clock)) {
                return pick(s.variants, s.variantGroupId, s.variantStickiness, context);
            }
        }
        List<Variant> own = flag.flag.variants();
        if (own.isEmpty()) return null;
        return pick(own, flag.flag.key(), own.get(0).stickiness(), context);
    }

    private static VariantResult pick(List<Variant> variants, String groupId, String stickiness, FlagContext context) {
        for (Variant v : variants) {
            for (VariantOverride o : v.overrides()) {
                String value = context.get(o.contextName());
                if (value != null && o.values().contains(value)) return result(v);
            }
        }
        int total = 0;
        for (Variant v : variants) total += v.weight();
        if (total <= 0) return null;
        String seed = stickinessValue(stickiness, context);
        int target = seed == null
                ? ThreadLocalRandom.current().nextInt(total) + 1
                : Murmur3.bucket(groupId, seed, total, VARIANT_SEED);
        int sum = 0;
        for (Variant v : variants) {
            sum += v.weight();
            if (sum >= target) return result(v);
        }
        return null;
    }

    private static VariantResult result(Variant v) {
        return new VariantResult(v.name(), true, v.payload());
    }

    /** The stickiness value, or null for random. */
    static String stickinessValue(String stickiness, FlagContext context) {
        if (stickiness == null || stickiness.equals("default")) {
            return context.userId() != null ? context.userId() : context.sessionId();
        }
        if (stickiness.equals("random")) return null;
        return context.get(stickiness);
    }

    private static final class Compiled {
        final Flag flag;
        final boolean on;
        final List<CompiledStrategy> strategies;

        Compiled(Flag flag, Map<String, Segment> segments, Snapshot snapshot) {
            this.flag = flag;
            this.on = flag.enabled()
                    && !snapshot.globalKill()
                    && !snapshot.killed().contains(flag.key());
            List<CompiledStrategy> list = new ArrayList<>();
            for (Strategy s : flag.strategies()) list.add(new CompiledStrategy(flag.key(), s, segments));
            this.strategies = List.copyOf(list);
        }
    }

    private static final class CompiledStrategy {
        final Strategy strategy;
        final String groupId;
        final boolean brokenSegment;
        final List<Matchers.Matcher> constraints;
        final Set<String> allowed;
        final List<IpRange> ranges;
        final List<Variant> variants;
        final String variantGroupId;
        final String variantStickiness;

        CompiledStrategy(String flagKey, Strategy s, Map<String, Segment> segments) {
            this.strategy = s;
            this.groupId = s.groupId() != null ? s.groupId() : flagKey;
            List<Matchers.Matcher> matchers = new ArrayList<>();
            for (Constraint c : s.constraints()) matchers.add(Matchers.compile(c));
            boolean broken = false;
            for (String name : s.segments()) {
                Segment segment = segments.get(name);
                if (segment == null) broken = true; // as Unleash: a strategy with a missing segment never matches
                else for (Constraint c : segment.constraints()) matchers.add(Matchers.compile(c));
            }
            this.brokenSegment = broken;
            this.constraints = List.copyOf(matchers);
            this.allowed = s.type() == StrategyType.USER_IDS
                    ? Set.copyOf(s.userIds())
                    : s.type() == StrategyType.ORG_IDS ? Set.copyOf(s.orgIds()) : Set.of();
            this.ranges = Matchers.ranges(s.ips());
            this.variants = s.variants();
            this.variantGroupId = groupId;
            this.variantStickiness = s.stickiness();
        }

        boolean matches(FlagContext context, Clock clock) {
            if (brokenSegment || !typeMatches(context)) return false;
            for (Matchers.Matcher m : constraints) if (!m.test(context, clock)) return false;
            return true;
        }

        private boolean typeMatches(FlagContext context) {
            switch (strategy.type()) {
                case DEFAULT:
                    return true;
                case FLEXIBLE_ROLLOUT: {
                    int rollout = strategy.rollout();
                    String stickiness = strategy.stickiness();
                    String value;
                    if (stickiness == null || stickiness.equals("default")) {
                        value = context.userId() != null ? context.userId() : context.sessionId();
                        if (value == null) value = randomValue();
                    } else if (stickiness.equals("random")) {
                        value = randomValue();
                    } else {
                        value = context.get(stickiness);
                        if (value == null) return false;
                    }
                    return Murmur3.bucket(groupId, value, 100, 0) <= rollout;
                }
                case USER_IDS:
                    return context.userId() != null && allowed.contains(context.userId());
                case ORG_IDS:
                    return context.orgId() != null && allowed.contains(context.orgId());
                case REMOTE_ADDRESS:
                    return Matchers.inRanges(ranges, context.remoteAddress());
                default:
                    throw new IllegalStateException("unhandled strategy " + strategy.type());
            }
        }

        private static String randomValue() {
            return Integer.toString(ThreadLocalRandom.current().nextInt(1, 101));
        }
    }
}
