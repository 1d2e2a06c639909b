package dev.gatehouse.platform;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The order of one cursor-paginated list, on a (time, id) pair of columns, around {@link PageCursor}: the
 * page after a cursor is the rows past it in that order, so pages stay stable while rows are added, and
 * each page costs one index range scan however deep it is (an {@code offset} would read and drop every
 * earlier row).
 */
public final class Keyset<T> {

    private static final Pattern COLUMN = Pattern.compile("[a-z_][a-z0-9_]*(\\.[a-z_][a-z0-9_]*)?");

    private final String timeColumn;
    private final String idColumn;
    private final boolean descending;
    private final RowMapper<T> mapper;
    private final Function<? super T, PageCursor> positionOf;

    private Keyset(
            String timeColumn,
            String idColumn,
            boolean descending,
            RowMapper<T> mapper,
            Function<? super T, PageCursor> positionOf) {
        for (String column : new String[] {timeColumn, idColumn}) {
            // Columns are spliced into SQL: only plain names from our own code.
            if (!COLUMN.matcher(column).matches()) throw new IllegalArgumentException("Not a column: " + column);
        }
        this.timeColumn = timeColumn;
        this.idColumn = idColumn;
        this.descending = descending;
        this.mapper = mapper;
        this.positionOf = positionOf;
    }

    /**
     * @param mapper reads one row
     * @param positionOf the (time, id) of a row, the values of the two columns
     */
    public static <T> Keyset<T> newestFirst(
            String timeColumn, String idColumn, RowMapper<T> mapper, Function<? super T, PageCursor> positionOf) {
        return new Keyset<>(timeColumn, idColumn, /* descending= */ true, mapper, positionOf);
    }

    public static <T> Keyset<T> oldestFirst(
            String timeColumn, String idColumn, RowMapper<T> mapper, Function<? super T, PageCursor> positionOf) {
        return new Keyset<>(timeColumn, idColumn, /* descending= */ false, mapper, positionOf);
    }

    /**
     * Fetches the page after {@code after} (the first page when null).
     *
     * @param query the statement, given the SQL to append to its {@code where} clause: the cursor condition
     *     (starting with {@code and}), the order and the limit. It binds its own parameters, never
     *     {@code keyset*} ones.
     */
    public Page<T> fetch(@Nullable PageCursor after, int limit, Function<String, JdbcClient.StatementSpec> query) {
        String order = descending ? " desc" : "";
        StringBuilder sql = new StringBuilder();
        Map<String, @Nullable Object> params = new LinkedHashMap<>();
        if (after != null) {
            sql.append(" and (%s, %s) %s (:keysetAfterAt, :keysetAfterId)"
                    .formatted(timeColumn, idColumn, descending ? "<" : ">"));
            params.put("keysetAfterAt", Timestamps.utc(after.createdAt()));
            params.put("keysetAfterId", after.id());
        }
        sql.append(" order by %s%s, %s%s limit :keysetLimit".formatted(timeColumn, order, idColumn, order));
        params.put("keysetLimit", limit + 1);
        return Page.of(
                query.apply(sql.toString()).params(params).query(mapper).list(),
                limit,
                row -> positionOf.apply(row).encode());
    }
}
