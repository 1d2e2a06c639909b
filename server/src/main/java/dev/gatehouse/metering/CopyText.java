package dev.gatehouse.metering;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * Rows in PostgreSQL's COPY text format (tab-separated, {@code \N} for null, backslash escapes), written straight
 * from the checked events, and the properties object as JSON inside it. See "Text Format" in the COPY chapter of
 * the PostgreSQL documentation: a backslash, tab, newline or carriage return in a value is escaped.
 */
final class CopyText {

    private final StringBuilder out;
    private @Nullable Instant lastInstant;
    private String lastInstantText = "";

    CopyText(int rows) {
        this.out = new StringBuilder(rows * 160);
    }

    CopyText uuid(UUID value) {
        out.append(value);
        return tab();
    }

    CopyText text(String value) {
        escape(value);
        return tab();
    }

    CopyText number(BigDecimal value) {
        out.append(value.toPlainString());
        return tab();
    }

    CopyText instant(Instant value) {
        // Events of a batch often share their timestamp: formatting an instant costs more than comparing two.
        if (!value.equals(lastInstant)) {
            lastInstant = value;
            lastInstantText = value.toString();
        }
        out.append(lastInstantText);
        return tab();
    }

    CopyText nullableText(@Nullable String value) {
        if (value == null) out.append("\\N");
        else escape(value);
        return tab();
    }

    /** Ends the row (replacing the last column's tab). */
    CopyText endRow() {
        out.setCharAt(out.length() - 1, '\n');
        return this;
    }

    byte[] bytes() {
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    private CopyText tab() {
        out.append('\t');
        return this;
    }

    private void escape(String value) {
        int n = value.length();
        int i = 0;
        while (i < n && !special(value.charAt(i))) i++;
        if (i == n) {
            out.append(value); // the usual case: nothing to escape, one bulk copy
            return;
        }
        out.append(value, 0, i);
        for (; i < n; i++) {
            char c = value.charAt(i);
            switch (c) {
                case '\\' -> out.append("\\\\");
                case '\t' -> out.append("\\t");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                default -> out.append(c);
            }
        }
    }

    /**
     * A flat object of strings, numbers and booleans (what the checks let through) as JSON: written by hand,
     * since Jackson's generator per event cost more than the rest of the event's check.
     */
    static String flatJson(Map<String, Object> properties) {
        StringBuilder json = new StringBuilder(32 * properties.size());
        json.append('{');
        boolean first = true;
        for (Map.Entry<String, Object> p : properties.entrySet()) {
            if (!first) json.append(',');
            first = false;
            jsonString(json, p.getKey());
            json.append(':');
            Object v = p.getValue();
            if (v instanceof String s) jsonString(json, s);
            else json.append(v); // a Number or a Boolean: their toString is JSON
        }
        return json.append('}').toString();
    }

    private static boolean special(char c) {
        return c == '\\' || c == '\t' || c == '\n' || c == '\r';
    }

    private static void jsonString(StringBuilder json, String s) {
        json.append('"');
        for (int i = 0, n = s.length(); i < n; i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> json.append("\\\"");
                case '\\' -> json.append("\\\\");
                case '\t' -> json.append("\\t");
                case '\n' -> json.append("\\n");
                case '\r' -> json.append("\\r");
                default -> {
                    if (c < 0x20) json.append(String.format("\\u%04x", (int) c));
                    else json.append(c);
                }
            }
        }
        json.append('"');
    }
}
