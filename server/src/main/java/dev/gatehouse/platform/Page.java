package dev.gatehouse.platform;

import java.util.List;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * One page of a cursor-paginated list and the opaque cursor that continues after it (null on the last).
 *
 * @param items at most the requested number of items
 * @param nextCursor what the client sends back as {@code cursor} for the next page
 */
public record Page<T>(List<T> items, @Nullable String nextCursor) {

    /**
     * The page from rows fetched with a limit of one more than asked: the extra row, never shown, tells
     * that another page exists without a count query.
     */
    public static <T> Page<T> of(List<T> rows, int limit, Function<? super T, String> cursorOf) {
        if (rows.size() <= limit) return new Page<>(rows, null);
        List<T> shown = rows.subList(0, limit);
        return new Page<>(shown, cursorOf.apply(shown.getLast()));
    }

    public <R> Page<R> map(Function<? super T, ? extends R> mapper) {
        return new Page<>(items.stream().<R>map(mapper).toList(), nextCursor);
    }
}
