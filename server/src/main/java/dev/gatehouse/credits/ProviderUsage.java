package dev.gatehouse.credits;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A provider's usage file, parsed whole before anything is stored: CSV (a header row naming the columns, RFC 4180
 * quoting) or JSON (an array of objects, or an object with a {@code usage}, {@code data} or {@code rows} array).
 * Each row has a date (yyyy-mm-dd, or an RFC 3339 timestamp taken as its UTC day), a model, an organization id or
 * a provider key ({@code org} or {@code key}), tokens ({@code tokens}, or {@code input_tokens} and
 * {@code output_tokens}) and a cost (an exact decimal). Other columns are ignored. Every error is collected with
 * its line number, so a bad file is refused once with all of them (the first {@value #MAX_ERRORS}).
 */
final class ProviderUsage {

    static final int MAX_ERRORS = 100;
    private static final long MAX_TOKENS = 1_000_000_000_000_000L;

    /** One usage row. */
    record Row(int line, LocalDate day, String model, UUID org, long tokens, BigDecimal cost) {}

    /** A refused file: its errors, each with the line it is on. */
    static final class Invalid extends RuntimeException {
        final List<Map<String, Object>> errors;

        Invalid(List<Map<String, Object>> errors) {
            super("invalid usage file", null, false, false);
            this.errors = errors;
        }
    }

    private final Function<String, @Nullable UUID> keys;
    private final int maxRows;
    private final List<Map<String, Object>> errors = new ArrayList<>();
    private int errorCount;

    private ProviderUsage(Function<String, @Nullable UUID> keys, int maxRows) {
        this.keys = keys;
        this.maxRows = maxRows;
    }

    /**
     * Parses the file.
     *
     * @param keys the organization of a provider key, or null for an unknown key
     * @throws Invalid with every error found
     */
    static List<Row> parse(String body, String format, Function<String, @Nullable UUID> keys, int maxRows) {
        ProviderUsage p = new ProviderUsage(keys, maxRows);
        List<Row> rows = format.equals("csv") ? p.csv(body) : p.json(body);
        if (p.errors.isEmpty() && rows.isEmpty()) p.error(1, null, "the file has no usage rows");
        if (!p.errors.isEmpty()) throw new Invalid(List.copyOf(p.errors));
        return rows;
    }

    private void error(int line, @Nullable String field, String message) {
        errorCount++;
        if (errors.size() >= MAX_ERRORS) return;
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("line", line);
        if (field != null) e.put("field", field);
        e.put("message", message);
        errors.add(e);
    }

    // ---- CSV

    private List<Row> csv(String body) {
        List<Row> rows = new ArrayList<>();
        List<List<String>> records = new ArrayList<>();
        List<Integer> lines = new ArrayList<>();
        if (!splitCsv(body, records, lines)) return rows;
        if (records.isEmpty()) return rows;
        List<String> header = records.getFirst().stream()
                .map(h -> h.strip().toLowerCase(Locale.ROOT))
                .toList();
        int headerLine = lines.getFirst();
        for (String required : List.of("date", "model", "cost")) {
            if (!header.contains(required)) error(headerLine, required, "the header has no '" + required + "' column");
        }
        if (!header.contains("org") && !header.contains("key")) {
            error(headerLine, "org", "the header has neither an 'org' nor a 'key' column");
        }
        if (!header.contains("tokens") && !(header.contains("input_tokens") && header.contains("output_tokens"))) {
            error(headerLine, "tokens", "the header has no 'tokens' column (nor 'input_tokens' and 'output_tokens')");
        }
        if (!errors.isEmpty()) return rows;
        for (int r = 1; r < records.size(); r++) {
            List<String> values = records.get(r);
            int line = lines.get(r);
            if (values.size() == 1 && values.getFirst().isBlank()) continue;
            if (values.size() != header.size()) {
                error(line, null, "has " + values.size() + " fields; the header has " + header.size());
                continue;
            }
            Map<String, String> fields = new LinkedHashMap<>();
            for (int c = 0; c < header.size(); c++)
                fields.put(header.get(c), values.get(c).strip());
            Row row = row(line, fields::get);
            if (row != null) rows.add(row);
            if (rows.size() > maxRows) {
                error(line, null, "the file has more than " + maxRows + " rows");
                return rows;
            }
        }
        return rows;
    }

    /** RFC 4180: fields split on commas, quoted fields may hold commas, quotes ("") and line breaks. */
    private boolean splitCsv(String body, List<List<String>> records, List<Integer> lines) {
        List<String> record = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        boolean wasQuoted = false;
        int line = 1;
        int recordLine = 1;
        int i = body.startsWith("\uFEFF") ? 1 : 0;
        for (; i < body.length(); i++) {
            char c = body.charAt(i);
            if (quoted) {
                if (c == '"') {
                    if (i + 1 < body.length() && body.charAt(i + 1) == '"') {
                        field.append('"');
                        i++;
                    } else {
                        quoted = false;
                    }
                } else {
                    if (c == '\n') line++;
                    field.append(c);
                }
            } else if (c == '"') {
                if (!field.isEmpty() || wasQuoted) {
                    error(line, null, "a quote inside an unquoted field");
                    return false;
                }
                quoted = true;
                wasQuoted = true;
            } else if (c == ',') {
                record.add(field.toString());
                field.setLength(0);
                wasQuoted = false;
            } else if (c == '\r' || c == '\n') {
                if (c == '\r' && i + 1 < body.length() && body.charAt(i + 1) == '\n') i++;
                record.add(field.toString());
                records.add(record);
                lines.add(recordLine);
                record = new ArrayList<>();
                field.setLength(0);
                wasQuoted = false;
                line++;
                recordLine = line;
            } else {
                if (wasQuoted) {
                    error(line, null, "text after a quoted field");
                    return false;
                }
                field.append(c);
            }
        }
        if (quoted) {
            error(recordLine, null, "a quoted field is not closed");
            return false;
        }
        if (!field.isEmpty() || !record.isEmpty() || wasQuoted) {
            record.add(field.toString());
            records.add(record);
            lines.add(recordLine);
        }
        return true;
    }

    // ---- JSON

    // Decimals as BigDecimal, never through a double: costs are exact.
    private static final JsonMapper JSON = JsonMapper.builder()
            .enable(tools.jackson.databind.DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .build();

    private List<Row> json(String body) {
        List<Row> rows = new ArrayList<>();
        try (JsonParser parser = JSON.createParser(body)) {
            JsonToken first = parser.nextToken();
            if (first == JsonToken.START_OBJECT) {
                // {"usage": [...]} (or data, rows): find the array.
                JsonToken t;
                boolean found = false;
                while ((t = parser.nextToken()) == JsonToken.PROPERTY_NAME) {
                    String name = parser.currentName();
                    JsonToken value = parser.nextToken();
                    if (List.of("usage", "data", "rows").contains(name) && value == JsonToken.START_ARRAY) {
                        found = true;
                        elements(parser, rows);
                        break;
                    }
                    parser.skipChildren();
                }
                if (!found && t != JsonToken.PROPERTY_NAME) {
                    error(1, null, "a JSON object must hold the rows in a 'usage', 'data' or 'rows' array");
                }
            } else if (first == JsonToken.START_ARRAY) {
                elements(parser, rows);
            } else {
                error(1, null, "a JSON usage file is an array of rows, or an object with a 'usage' array");
            }
        } catch (JacksonException e) {
            int line = e.getLocation() == null ? 1 : Math.max(1, e.getLocation().getLineNr());
            error(line, null, "not valid JSON: " + e.getOriginalMessage());
        }
        return rows;
    }

    private void elements(JsonParser parser, List<Row> rows) {
        JsonToken t;
        while ((t = parser.nextToken()) != JsonToken.END_ARRAY && t != null) {
            int line = Math.max(1, parser.currentTokenLocation().getLineNr());
            if (t != JsonToken.START_OBJECT) {
                error(line, null, "a row must be a JSON object");
                parser.skipChildren();
                continue;
            }
            JsonNode node = parser.readValueAsTree();
            Row row = row(line, name -> {
                JsonNode v = node.get(name);
                if (v == null || v.isNull()) return null;
                return v.isValueNode()
                        ? v.asString()
                        : "[" + v.getNodeType().name().toLowerCase(Locale.ROOT) + "]";
            });
            if (row != null) rows.add(row);
            if (rows.size() > maxRows) {
                error(line, null, "the file has more than " + maxRows + " rows");
                return;
            }
        }
    }

    // ---- one row

    private @Nullable Row row(int line, Function<String, @Nullable String> field) {
        int before = errorCount;
        LocalDate day = day(line, field.apply("date"));
        String model = field.apply("model");
        if (model == null || model.isBlank() || model.length() > 200) {
            error(line, "model", "a model name of 1 to 200 characters is required");
            model = null;
        }
        UUID org = org(line, field.apply("org"), field.apply("key"));
        Long tokens;
        String total = field.apply("tokens");
        if (total != null && !total.isEmpty()) {
            tokens = count(line, "tokens", total);
        } else {
            Long in = count(line, "input_tokens", field.apply("input_tokens"));
            Long out = count(line, "output_tokens", field.apply("output_tokens"));
            tokens = in == null || out == null ? null : in + out;
        }
        BigDecimal cost = cost(line, field.apply("cost"));
        if (errorCount != before || day == null || model == null || org == null || tokens == null || cost == null) {
            return null;
        }
        return new Row(line, day, model, org, tokens, cost);
    }

    private @Nullable LocalDate day(int line, @Nullable String value) {
        if (value == null || value.isEmpty()) {
            error(line, "date", "a date is required");
            return null;
        }
        try {
            if (value.length() == 10) return LocalDate.parse(value);
            return LocalDate.ofInstant(Instant.parse(value), ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            try {
                return java.time.OffsetDateTime.parse(value)
                        .atZoneSameInstant(ZoneOffset.UTC)
                        .toLocalDate();
            } catch (DateTimeParseException again) {
                error(line, "date", "'" + cut(value) + "' is not a date (yyyy-mm-dd) nor an RFC 3339 timestamp");
                return null;
            }
        }
    }

    private @Nullable UUID org(int line, @Nullable String org, @Nullable String key) {
        if (org != null && !org.isEmpty()) {
            try {
                return UUID.fromString(org);
            } catch (IllegalArgumentException e) {
                error(line, "org", "'" + cut(org) + "' is not an organization id");
                return null;
            }
        }
        if (key != null && !key.isEmpty()) {
            UUID owner = keys.apply(key);
            if (owner == null) error(line, "key", "the key '" + cut(key) + "' is not mapped to an organization");
            return owner;
        }
        error(line, "org", "an organization id (org) or a provider key (key) is required");
        return null;
    }

    private @Nullable Long count(int line, String name, @Nullable String value) {
        if (value == null || value.isEmpty()) {
            error(line, name, "a token count is required");
            return null;
        }
        try {
            long n = Long.parseLong(value);
            if (n < 0 || n > MAX_TOKENS) throw new NumberFormatException();
            return n;
        } catch (NumberFormatException e) {
            error(line, name, "'" + cut(value) + "' is not a whole number of tokens between 0 and 10^18");
            return null;
        }
    }

    private @Nullable BigDecimal cost(int line, @Nullable String value) {
        if (value == null || value.isEmpty()) {
            error(line, "cost", "a cost is required");
            return null;
        }
        try {
            BigDecimal cost = new BigDecimal(value);
            if (cost.signum() < 0 || cost.precision() > 30 || cost.scale() > 12) throw new NumberFormatException();
            return cost;
        } catch (NumberFormatException e) {
            error(line, "cost", "'" + cut(value) + "' is not a decimal cost of at least 0 (at most 12 decimals)");
            return null;
        }
    }

    private static String cut(String value) {
        return value.length() > 40 ? value.substring(0, 40) + "…" : value;
    }
}
