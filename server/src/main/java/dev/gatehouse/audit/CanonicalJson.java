package dev.gatehouse.audit;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

/**
 * The one JSON text the hash chain is computed over: RFC 8785 (JSON Canonicalization Scheme) for the values
 * audit events hold, which have no decimals, so JCS's number rules reduce to plain integers.
 *
 * <ul>
 *   <li>no whitespace; object members sorted by key, comparing UTF-16 code units (Java's
 *       {@link String#compareTo});
 *   <li>strings: {@code "} and {@code \} escaped with a backslash, {@code \b \f \n \r \t} in their short
 *       forms, other characters below U+0020 as <code>&#92;u00xx</code> in lowercase hex, everything else as itself;
 *   <li>integers in decimal without exponent or leading zeros; {@code true}, {@code false}, {@code null}.
 * </ul>
 *
 * The same text comes out of Python's {@code json.dumps(value, ensure_ascii=False, separators=(",", ":"),
 * sort_keys=True)} for these values, so an outsider can re-verify an export without Gatehouse's code.
 */
final class CanonicalJson {

    /** Plain Jackson, independent of the web layer's settings: it only turns stored JSON back into values. */
    private static final JsonMapper PARSER = JsonMapper.builder().build();

    private CanonicalJson() {}

    static String write(@Nullable Object value) {
        StringBuilder out = new StringBuilder(256);
        write(value, out);
        return out.toString();
    }

    /** Reads JSON text (a stored {@code details} column) into maps, lists, strings, numbers and booleans. */
    static @Nullable Object parse(String json) {
        return PARSER.readValue(json, Object.class);
    }

    private static void write(@Nullable Object value, StringBuilder out) {
        switch (value) {
            case null -> out.append("null");
            case String s -> string(s, out);
            case Boolean b -> out.append(b.booleanValue());
            case Long l -> out.append(l.longValue());
            case Integer i -> out.append(i.intValue());
            case BigInteger b -> out.append(b);
            // Only a row altered outside Gatehouse holds a decimal; any stable text will do, as its hash
            // no longer matches anyway.
            case Number n -> out.append(n);
            case Map<?, ?> map -> {
                List<String> keys = new ArrayList<>(map.size());
                for (Object key : map.keySet()) keys.add(String.valueOf(key));
                keys.sort(null);
                out.append('{');
                boolean first = true;
                for (String key : keys) {
                    if (!first) out.append(',');
                    first = false;
                    string(key, out);
                    out.append(':');
                    write(map.get(key), out);
                }
                out.append('}');
            }
            case List<?> list -> {
                out.append('[');
                for (int i = 0; i < list.size(); i++) {
                    if (i > 0) out.append(',');
                    write(list.get(i), out);
                }
                out.append(']');
            }
            default ->
                throw new IllegalArgumentException(
                        "Not a JSON value: " + value.getClass().getName());
        }
    }

    private static void string(String s, StringBuilder out) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append("\\u00")
                                .append(Character.forDigit(c >> 4, 16))
                                .append(Character.forDigit(c & 0xF, 16));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }
}
