package dev.gatehouse.organization;

import dev.gatehouse.platform.PageCursor;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** Conversions between rows and this module's records, shared by its repositories. */
final class Rows {

    private Rows() {}

    static @Nullable Timestamp ts(@Nullable Instant instant) {
        return instant == null ? null : Timestamp.from(instant);
    }

    static @Nullable Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp t = rs.getTimestamp(column);
        return t == null ? null : t.toInstant();
    }

    static Instant required(ResultSet rs, String column) throws SQLException {
        return rs.getTimestamp(column).toInstant();
    }

    static OrgRole role(ResultSet rs, String column) throws SQLException {
        return OrgRole.of(rs.getString(column));
    }

    /**
     * The keyset condition that starts a page after the cursor, on the list's {@code (created_at, id)}
     * order; empty for the first page. Only column names from this module's code are put into the SQL.
     */
    static String after(@Nullable PageCursor after, String orderColumns) {
        return after == null ? "" : "and (" + orderColumns + ") > (:afterAt, :afterId)";
    }

    static Map<String, Object> afterParams(@Nullable PageCursor after) {
        return after == null ? Map.of() : Map.of("afterAt", Timestamp.from(after.createdAt()), "afterId", after.id());
    }
}
