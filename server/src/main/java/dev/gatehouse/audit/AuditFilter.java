package dev.gatehouse.audit;

import dev.gatehouse.platform.Problems;
import dev.gatehouse.platform.Timestamps;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * The search and export filters; every one optional, all of them combined with AND.
 *
 * @param from inclusive lower bound on {@code occurred_at}
 * @param to exclusive upper bound on {@code occurred_at}
 */
record AuditFilter(
        @Nullable UUID actor,
        @Nullable String action,
        @Nullable String targetType,
        @Nullable String targetId,
        @Nullable Instant from,
        @Nullable Instant to) {

    /** What {@code timestamptz} can hold comfortably; Java parses years far beyond it. */
    private static final Instant EARLIEST = Instant.parse("0001-01-01T00:00:00Z");

    private static final Instant LATEST = Instant.parse("9999-12-31T23:59:59.999999Z");

    /** Builds the filter from query parameters; an empty parameter counts as absent. */
    static AuditFilter of(
            @Nullable UUID actor,
            @Nullable String action,
            @Nullable String targetType,
            @Nullable String targetId,
            @Nullable String from,
            @Nullable String to) {
        String type = blankToNull(targetType);
        String id = blankToNull(targetId);
        if (id != null && type == null) {
            // Ids are only unique within a type, and the index that serves this search starts with the type.
            throw Problems.badRequest("invalid_parameter", "Parameter 'target_id' needs 'target_type' as well.");
        }
        Instant lower = time("from", from);
        Instant upper = time("to", to);
        if (lower != null && upper != null && lower.isAfter(upper)) {
            throw Problems.badRequest("invalid_parameter", "Parameter 'from' must not be later than 'to'.");
        }
        return new AuditFilter(actor, blankToNull(action), type, id, lower, upper);
    }

    /** Appends this filter's conditions ({@code and ...}) to a query and their values to its parameters. */
    void where(StringBuilder sql, Map<String, Object> params) {
        if (actor != null) {
            sql.append(" and actor_id = :actor");
            params.put("actor", actor);
        }
        if (action != null) {
            sql.append(" and action = :action");
            params.put("action", action);
        }
        if (targetType != null) {
            sql.append(" and target_type = :targetType");
            params.put("targetType", targetType);
        }
        if (targetId != null) {
            sql.append(" and target_id = :targetId");
            params.put("targetId", targetId);
        }
        if (from != null) {
            sql.append(" and occurred_at >= :from");
            params.put("from", Timestamps.utc(from));
        }
        if (to != null) {
            sql.append(" and occurred_at < :to");
            params.put("to", Timestamps.utc(to));
        }
    }

    /** The filters that were set, as audit details (for {@code audit.exported}). */
    Map<String, Object> asDetails() {
        Map<String, Object> details = new LinkedHashMap<>();
        if (actor != null) details.put("actor", actor);
        if (action != null) details.put("action", action);
        if (targetType != null) details.put("target_type", targetType);
        if (targetId != null) details.put("target_id", targetId);
        if (from != null) details.put("from", from);
        if (to != null) details.put("to", to);
        return details;
    }

    private static @Nullable Instant time(String name, @Nullable String value) {
        String v = blankToNull(value);
        if (v == null) return null;
        Instant instant;
        try {
            instant = OffsetDateTime.parse(v).toInstant();
        } catch (DateTimeParseException e) {
            throw Problems.badRequest(
                    "invalid_parameter",
                    "Parameter '" + name + "' must be an RFC 3339 timestamp such as 2026-01-31T00:00:00Z"
                            + " (an offset's '+' must be sent as %2B).");
        }
        // A bound the database cannot represent would fail there, as a 500.
        if (instant.isBefore(EARLIEST) || instant.isAfter(LATEST)) {
            throw Problems.badRequest(
                    "invalid_parameter", "Parameter '" + name + "' must lie between the years 0001 and 9999.");
        }
        return instant;
    }

    private static @Nullable String blankToNull(@Nullable String value) {
        return value == null || value.isBlank() ? null : value;
    }
}
