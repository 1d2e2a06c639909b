package dev.gatehouse.catalog;

import java.math.BigDecimal;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * Reads a plans.yml into a {@link CatalogDefinition}, or into every error it has (not just the first), each
 * with its file, path, line and reason.
 *
 * <p>The file is composed into SnakeYAML's node tree rather than bound to objects: nodes keep their line and
 * column, so every error points at the exact place, and duplicate keys (which a map binding silently resolves
 * to the last one) are seen and refused. Unknown keys are refused too: a misspelt {@code trial_dayz} must not
 * quietly mean "no trial". Only the safe constructor's plain types are read: no tags that instantiate classes.
 */
final class CatalogParser {

    /** The only format there is so far; a later format gets a new number and its own reader. */
    static final int SCHEMA_VERSION = 1;

    static final int MAX_BYTES = 1024 * 1024;

    private static final Pattern KEY = Pattern.compile("[a-z][a-z0-9_]{0,63}");
    private static final Pattern WHOLE = Pattern.compile("[+]?[0-9][0-9_]*");
    private static final Pattern NEGATIVE = Pattern.compile("-[0-9][0-9_]*(\\.[0-9]+)?");
    private static final Pattern AMOUNT = Pattern.compile("[0-9]+(\\.[0-9]{1,2})?");
    private static final Pattern CURRENCY = Pattern.compile("[A-Z]{3}");
    private static final Pattern STRIPE_PRICE = Pattern.compile("price_[A-Za-z0-9_]{1,200}");
    private static final Pattern MODEL = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:/-]{0,127}");
    private static final int MAX_TRIAL_DAYS = 365;

    private static final Map<String, Duration> PER = Map.of(
            "second", Duration.ofSeconds(1),
            "minute", Duration.ofMinutes(1),
            "hour", Duration.ofHours(1),
            "day", Duration.ofDays(1));

    /** What reading a file comes to: a definition, or the reasons there is none. */
    sealed interface Result {
        record Valid(CatalogDefinition definition) implements Result {}

        record Invalid(List<CatalogError> errors) implements Result {
            public Invalid {
                errors = List.copyOf(errors);
            }
        }
    }

    private final String file;
    private final List<CatalogError> errors = new ArrayList<>();

    private CatalogParser(String file) {
        this.file = file;
    }

    /**
     * Reads one file.
     *
     * @param file the file as configured, for the errors
     * @param bytes its content
     */
    static Result parse(String file, byte[] bytes) {
        return new CatalogParser(file).read(bytes);
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    private Result read(byte[] bytes) {
        if (bytes.length > MAX_BYTES) {
            return invalid("", 0, 0, "the file is " + bytes.length + " bytes; at most " + MAX_BYTES + " are read");
        }
        String text;
        try {
            text = StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            return invalid("", 0, 0, "the file is not UTF-8 text");
        }
        Node root;
        try {
            LoaderOptions options = new LoaderOptions();
            options.setAllowDuplicateKeys(true); // seen and reported below, with both lines
            options.setMaxAliasesForCollections(50);
            options.setNestingDepthLimit(20);
            options.setCodePointLimit(MAX_BYTES);
            root = new Yaml(new SafeConstructor(options)).compose(new java.io.StringReader(text));
        } catch (MarkedYAMLException e) {
            Mark mark = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
            String reason = "malformed YAML: " + (e.getProblem() != null ? e.getProblem() : e.getMessage());
            if (e.getContext() != null) reason += " (" + e.getContext() + ")";
            return mark == null
                    ? invalid("", 0, 0, reason)
                    : invalid("", mark.getLine() + 1, mark.getColumn() + 1, reason);
        } catch (YAMLException e) {
            return invalid("", 0, 0, "malformed YAML: " + e.getMessage());
        }
        if (root == null) return invalid("", 0, 0, "the file is empty");
        CatalogDefinition definition = document(root, text, sha256(bytes));
        if (!errors.isEmpty() || definition == null) return new Result.Invalid(errors);
        return new Result.Valid(definition);
    }

    private Result invalid(String path, int line, int column, String reason) {
        return new Result.Invalid(List.of(new CatalogError(file, path, line, column, reason)));
    }

    // ---- the document -------------------------------------------------------------------------------------

    private @Nullable CatalogDefinition document(Node root, String text, String hash) {
        Map<String, Node> top = fields(
                root,
                "",
                Set.of("schema_version", "default_plan", "upgrade_url", "features", "meters", "rate_limits", "plans"),
                Set.of("schema_version", "default_plan", "upgrade_url", "features", "meters", "plans"));
        if (top == null) return null;
        Node schema = top.get("schema_version");
        if (schema != null) {
            Long v = whole(schema, "schema_version", 0);
            if (v != null && v != SCHEMA_VERSION) {
                error(
                        schema,
                        "schema_version",
                        "unknown schema version " + v + "; this Gatehouse reads " + SCHEMA_VERSION);
            }
        }
        URI upgradeUrl = top.containsKey("upgrade_url") ? url(top.get("upgrade_url"), "upgrade_url") : null;
        Map<String, Feature> features = keyed(top.get("features"), "features", "feature", this::feature);
        Map<String, Meter> meters = keyed(top.get("meters"), "meters", "meter", this::meter);
        Map<String, RateLimitPolicy> rateLimits = top.containsKey("rate_limits")
                ? keyed(top.get("rate_limits"), "rate_limits", "rate-limit policy", this::rateLimit)
                : Map.of();
        Map<String, Plan> plans =
                keyed(top.get("plans"), "plans", "plan", (key, node, path) -> plan(key, node, path, features, meters));
        if (top.containsKey("plans")
                && plans.isEmpty()
                && top.get("plans") instanceof MappingNode m
                && m.getValue().isEmpty()) {
            error(top.get("plans"), "plans", "at least one plan is needed");
        }
        String defaultPlan = null;
        Node defaultNode = top.get("default_plan");
        if (defaultNode != null) {
            defaultPlan = text(defaultNode, "default_plan");
            if (defaultPlan != null && top.get("plans") instanceof MappingNode declared) {
                Plan plan = plans.get(defaultPlan);
                if (plan == null && !keysOf(declared).contains(defaultPlan)) {
                    error(
                            defaultNode,
                            "default_plan",
                            "unknown plan '" + defaultPlan + "'; plans: " + keysOf(declared));
                } else if (plan != null && !plan.price().free()) {
                    error(
                            defaultNode,
                            "default_plan",
                            "the default plan must be free of charge; '" + defaultPlan + "' costs "
                                    + plan.price().amount() + " " + plan.price().currency());
                }
            }
        }
        if (!errors.isEmpty() || upgradeUrl == null || defaultPlan == null) return null;
        return new CatalogDefinition(text, hash, defaultPlan, upgradeUrl, features, meters, rateLimits, plans);
    }

    private @Nullable Feature feature(String key, Node node, String path) {
        Map<String, Node> f = fields(node, path, Set.of("name", "description"), Set.of("name"));
        if (f == null) return null;
        String name = nonBlank(f.get("name"), path + ".name");
        String description = f.containsKey("description") ? text(f.get("description"), path + ".description") : "";
        return name == null || description == null ? null : new Feature(key, name, description);
    }

    private @Nullable Meter meter(String key, Node node, String path) {
        Map<String, Node> f =
                fields(node, path, Set.of("name", "unit", "aggregation", "property"), Set.of("name", "aggregation"));
        if (f == null) return null;
        String name = nonBlank(f.get("name"), path + ".name");
        String unit = f.containsKey("unit") ? nonBlank(f.get("unit"), path + ".unit") : "";
        Aggregation aggregation = choice(
                f.get("aggregation"), path + ".aggregation", "aggregation", Aggregation.values(), Aggregation::wire);
        String property = null;
        if (f.containsKey("property")) {
            property = text(f.get("property"), path + ".property");
            if (property != null && !KEY.matcher(property).matches()) {
                error(f.get("property"), path + ".property", "a property name is lowercase letters, digits and '_'");
                property = null;
            }
            if (aggregation != null && aggregation != Aggregation.UNIQUE_COUNT) {
                error(f.get("property"), path + ".property", "only a unique_count meter names a property");
            }
        } else if (aggregation == Aggregation.UNIQUE_COUNT) {
            error(
                    node,
                    path + ".property",
                    "a unique_count meter must name the property whose distinct values it counts");
        }
        if (name == null || unit == null || aggregation == null) return null;
        return new Meter(key, name, unit, aggregation, property);
    }

    private @Nullable RateLimitPolicy rateLimit(String key, Node node, String path) {
        Map<String, Node> f =
                fields(node, path, Set.of("scope", "limit", "per", "burst"), Set.of("scope", "limit", "per"));
        if (f == null) return null;
        RateLimitScope scope =
                choice(f.get("scope"), path + ".scope", "scope", RateLimitScope.values(), RateLimitScope::wire);
        Long limit = whole(f.get("limit"), path + ".limit", 1);
        Duration per = null;
        String perText = text(f.get("per"), path + ".per");
        if (perText != null) {
            per = PER.get(perText);
            if (per == null) {
                error(
                        f.get("per"),
                        path + ".per",
                        "unknown window '" + perText + "'; expected one of second, minute, hour, day");
            }
        }
        Long burst = f.containsKey("burst") ? whole(f.get("burst"), path + ".burst", 1) : limit;
        if (scope == null || limit == null || per == null || burst == null) return null;
        return new RateLimitPolicy(key, scope, limit, per, burst);
    }

    private @Nullable Plan plan(
            String key, Node node, String path, Map<String, Feature> features, Map<String, Meter> meters) {
        Map<String, Node> f = fields(
                node,
                path,
                Set.of(
                        "name",
                        "description",
                        "price",
                        "trial_days",
                        "stripe_price_id",
                        "features",
                        "limits",
                        "rate_limits",
                        "included_credits",
                        "ai_models"),
                Set.of("name", "price"));
        if (f == null) return null;
        String name = nonBlank(f.get("name"), path + ".name");
        String description = f.containsKey("description") ? text(f.get("description"), path + ".description") : "";
        Price price = price(f.get("price"), path + ".price");
        Long trialDays =
                f.containsKey("trial_days") ? whole(f.get("trial_days"), path + ".trial_days", 0) : Long.valueOf(0);
        if (trialDays != null && trialDays > MAX_TRIAL_DAYS) {
            error(f.get("trial_days"), path + ".trial_days", "a trial is at most " + MAX_TRIAL_DAYS + " days");
            trialDays = null;
        }
        String stripe = null;
        if (f.containsKey("stripe_price_id")) {
            stripe = text(f.get("stripe_price_id"), path + ".stripe_price_id");
            if (stripe != null && !STRIPE_PRICE.matcher(stripe).matches()) {
                error(
                        f.get("stripe_price_id"),
                        path + ".stripe_price_id",
                        "a Stripe price id looks like price_1AbC...");
                stripe = null;
            }
        }
        Set<String> planFeatures = new LinkedHashSet<>();
        if (f.containsKey("features")) {
            List<Node> items = list(f.get("features"), path + ".features");
            for (int i = 0; items != null && i < items.size(); i++) {
                String itemPath = path + ".features[" + i + "]";
                String feature = text(items.get(i), itemPath);
                if (feature == null) continue;
                if (!features.containsKey(feature)) {
                    error(
                            items.get(i),
                            itemPath,
                            "unknown feature '" + feature + "'; declared features: " + features.keySet());
                } else if (!planFeatures.add(feature)) {
                    error(items.get(i), itemPath, "feature '" + feature + "' is listed twice");
                }
            }
        }
        Map<String, Limit> limits = new LinkedHashMap<>();
        if (f.containsKey("limits")) {
            limits = keyed(
                    f.get("limits"),
                    path + ".limits",
                    "limit",
                    (limitName, limitNode, limitPath) -> limit(limitName, limitNode, limitPath, meters));
        }
        Map<String, RateLimitPolicy> rateLimits = f.containsKey("rate_limits")
                ? keyed(f.get("rate_limits"), path + ".rate_limits", "rate-limit policy", this::rateLimit)
                : Map.of();
        Long credits = f.containsKey("included_credits")
                ? whole(f.get("included_credits"), path + ".included_credits", 0)
                : Long.valueOf(0);
        List<String> models = new ArrayList<>();
        if (f.containsKey("ai_models")) {
            List<Node> items = list(f.get("ai_models"), path + ".ai_models");
            for (int i = 0; items != null && i < items.size(); i++) {
                String itemPath = path + ".ai_models[" + i + "]";
                String model = text(items.get(i), itemPath);
                if (model == null) continue;
                if (!MODEL.matcher(model).matches()) {
                    error(items.get(i), itemPath, "a model name is letters, digits and . _ : / - (at most 128)");
                } else if (models.contains(model)) {
                    error(items.get(i), itemPath, "model '" + model + "' is listed twice");
                } else {
                    models.add(model);
                }
            }
        }
        if (name == null || description == null || price == null || trialDays == null || credits == null) return null;
        if (price.interval() == null && !price.free()) return null;
        return new Plan(
                key,
                name,
                description,
                price,
                trialDays.intValue(),
                stripe,
                planFeatures,
                limits,
                rateLimits,
                credits,
                models);
    }

    private @Nullable Limit limit(String name, Node node, String path, Map<String, Meter> meters) {
        boolean builtIn = name.equals(Limit.SEATS) || name.equals(Limit.SESSIONS);
        if (!builtIn && !meters.containsKey(name)) {
            error(
                    node,
                    path,
                    "unknown meter '" + name + "'; limits name a declared meter " + meters.keySet()
                            + " or the built-in seats or sessions");
            return null;
        }
        Map<String, Node> f = fields(node, path, Set.of("limit", "period"), Set.of("limit"));
        if (f == null) return null;
        Long max = null;
        boolean valid = true;
        Node limitNode = f.get("limit");
        if (limitNode != null) {
            if (limitNode instanceof ScalarNode s && s.getValue().equals("unlimited")) {
                max = null;
            } else {
                max = whole(limitNode, path + ".limit", 0);
                valid = max != null;
            }
        }
        Period period = Period.NONE;
        if (f.containsKey("period")) {
            period = choice(f.get("period"), path + ".period", "period", Period.values(), Period::wire);
        }
        if (builtIn && period != null && period != Period.NONE) {
            error(f.get("period"), path + ".period", name + " is a standing count: its period is none");
            return null;
        }
        return valid && period != null ? new Limit(name, max, period) : null;
    }

    private @Nullable Price price(@Nullable Node node, String path) {
        if (node == null) return null;
        Map<String, Node> f =
                fields(node, path, Set.of("amount", "currency", "interval"), Set.of("amount", "currency"));
        if (f == null) return null;
        BigDecimal amount = null;
        Node amountNode = f.get("amount");
        if (amountNode != null) {
            String raw = scalar(amountNode);
            if (raw != null && NEGATIVE.matcher(raw).matches()) {
                error(amountNode, path + ".amount", "a price must not be negative");
            } else if (raw == null || !AMOUNT.matcher(raw).matches()) {
                error(amountNode, path + ".amount", "expected an amount such as 19.99 (at most two decimals)");
            } else {
                amount = new BigDecimal(raw);
            }
        }
        String currency = null;
        if (f.containsKey("currency")) {
            currency = text(f.get("currency"), path + ".currency");
            if (currency != null && !CURRENCY.matcher(currency).matches()) {
                error(f.get("currency"), path + ".currency", "expected an ISO 4217 code in capitals, such as USD");
                currency = null;
            }
        }
        Price.Interval interval = null;
        if (f.containsKey("interval")) {
            interval = choice(
                    f.get("interval"), path + ".interval", "interval", Price.Interval.values(), Price.Interval::wire);
        } else if (amount != null && amount.signum() > 0) {
            error(node, path + ".interval", "a paid plan says how often it is charged: month or year");
        }
        if (amount == null || currency == null) return null;
        return new Price(amount, currency, interval);
    }

    private @Nullable URI url(Node node, String path) {
        String raw = text(node, path);
        if (raw == null) return null;
        try {
            URI uri = new URI(raw);
            if (uri.isAbsolute()
                    && ("https".equals(uri.getScheme()) || "http".equals(uri.getScheme()))
                    && uri.getHost() != null) {
                return uri;
            }
        } catch (URISyntaxException e) {
            // reported below
        }
        error(node, path, "expected an absolute http(s) URL, such as https://example.com/pricing");
        return null;
    }

    // ---- node helpers -------------------------------------------------------------------------------------

    /** Reads one entry of a keyed section; null when it is invalid (its errors are recorded). */
    @FunctionalInterface
    private interface EntryReader<T> {
        @Nullable
        T read(String key, Node node, String path);
    }

    /**
     * A mapping of named entries ({@code features}, {@code plans}, a plan's {@code limits}), in the file's order;
     * duplicate names and names that are not lowercase words are errors, and only valid entries are returned.
     */
    private <T> Map<String, T> keyed(@Nullable Node node, String path, String what, EntryReader<T> reader) {
        Map<String, T> out = new LinkedHashMap<>();
        if (node == null) return out;
        if (!(node instanceof MappingNode mapping)) {
            error(node, path, "expected a mapping of " + what + " names to their definitions");
            return out;
        }
        Map<String, Node> firstAt = new LinkedHashMap<>();
        for (NodeTuple tuple : mapping.getValue()) {
            Node keyNode = tuple.getKeyNode();
            String key = keyNode instanceof ScalarNode s ? s.getValue() : null;
            if (key == null) {
                error(keyNode, path, "a " + what + " name must be plain text");
                continue;
            }
            String entryPath = path + "." + key;
            if (firstAt.containsKey(key)) {
                error(
                        keyNode,
                        entryPath,
                        "duplicate " + what + " '" + key + "' (first defined at line "
                                + (firstAt.get(key).getStartMark().getLine() + 1) + ")");
                out.remove(key);
                continue;
            }
            firstAt.put(key, keyNode);
            if (!KEY.matcher(key).matches()) {
                error(
                        keyNode,
                        entryPath,
                        "a " + what + " name is a lowercase letter, then lowercase letters, digits"
                                + " or '_' (at most 64)");
                continue;
            }
            T value = reader.read(key, tuple.getValueNode(), entryPath);
            if (value != null) out.put(key, value);
        }
        return out;
    }

    /**
     * The fields of a mapping with a fixed set of keys; unknown, duplicate and missing ones are errors. Null when
     * the node is not a mapping.
     */
    private @Nullable Map<String, Node> fields(Node node, String path, Set<String> allowed, Set<String> required) {
        if (!(node instanceof MappingNode mapping)) {
            error(node, path, "expected a mapping with " + sorted(required.isEmpty() ? allowed : required));
            return null;
        }
        Map<String, Node> out = new LinkedHashMap<>();
        Map<String, Node> keys = new LinkedHashMap<>();
        for (NodeTuple tuple : mapping.getValue()) {
            Node keyNode = tuple.getKeyNode();
            String key = keyNode instanceof ScalarNode s ? s.getValue() : null;
            String keyPath = join(path, key == null ? "?" : key);
            if (key == null || !allowed.contains(key)) {
                error(
                        keyNode,
                        keyPath,
                        "unknown key" + (key == null ? "" : " '" + key + "'") + "; expected " + sorted(allowed));
                continue;
            }
            if (keys.containsKey(key)) {
                error(
                        keyNode,
                        keyPath,
                        "duplicate key '" + key + "' (first at line "
                                + (keys.get(key).getStartMark().getLine() + 1) + ")");
                continue;
            }
            keys.put(key, keyNode);
            out.put(key, tuple.getValueNode());
        }
        for (String key : sorted(required)) {
            if (!out.containsKey(key)) error(node, join(path, key), "missing; it is required");
        }
        return out;
    }

    private @Nullable List<Node> list(Node node, String path) {
        if (node instanceof SequenceNode sequence) return sequence.getValue();
        error(node, path, "expected a list");
        return null;
    }

    private static @Nullable String scalar(Node node) {
        if (!(node instanceof ScalarNode s) || s.getTag().equals(Tag.NULL)) return null;
        return s.getValue();
    }

    private @Nullable String text(@Nullable Node node, String path) {
        if (node == null) return null;
        String value = scalar(node);
        if (value == null) {
            error(node, path, "expected text");
            return null;
        }
        return value;
    }

    private @Nullable String nonBlank(@Nullable Node node, String path) {
        String value = text(node, path);
        if (value != null && (value.isBlank() || value.length() > 200)) {
            error(node, path, "expected 1 to 200 characters, not blank");
            return null;
        }
        return value;
    }

    /** A whole number of at least {@code min}; a negative one is named as such. */
    private @Nullable Long whole(@Nullable Node node, String path, long min) {
        if (node == null) return null;
        String raw = scalar(node);
        if (raw != null && NEGATIVE.matcher(raw).matches()) {
            error(node, path, "must not be negative (got " + raw + ")");
            return null;
        }
        if (raw == null || !WHOLE.matcher(raw).matches()) {
            error(node, path, "expected a whole number" + (raw == null ? "" : ", got '" + raw + "'"));
            return null;
        }
        long value;
        try {
            value = Long.parseLong(raw.replace("_", "").replace("+", ""));
        } catch (NumberFormatException e) {
            error(node, path, "the number " + raw + " is too large");
            return null;
        }
        if (value < min) {
            error(node, path, "must be at least " + min + " (got " + value + ")");
            return null;
        }
        return value;
    }

    private <E extends Enum<E>> @Nullable E choice(
            @Nullable Node node, String path, String what, E[] values, Function<E, String> wire) {
        String raw = text(node, path);
        if (raw == null || node == null) return null;
        for (E value : values) {
            if (wire.apply(value).equals(raw)) return value;
        }
        error(
                node,
                path,
                "unknown " + what + " '" + raw + "'; expected one of "
                        + Arrays.stream(values).map(wire).collect(Collectors.joining(", ")));
        return null;
    }

    private static Set<String> keysOf(MappingNode mapping) {
        Set<String> keys = new LinkedHashSet<>();
        for (NodeTuple tuple : mapping.getValue()) {
            if (tuple.getKeyNode() instanceof ScalarNode s) keys.add(s.getValue());
        }
        return keys;
    }

    private static List<String> sorted(Set<String> keys) {
        return keys.stream().sorted().toList();
    }

    private static String join(String path, String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    private void error(Node node, String path, String reason) {
        Mark mark = node.getStartMark();
        errors.add(new CatalogError(
                file, path, mark == null ? 0 : mark.getLine() + 1, mark == null ? 0 : mark.getColumn() + 1, reason));
    }
}
