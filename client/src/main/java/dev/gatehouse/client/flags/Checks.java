package dev.gatehouse.client.flags;

import java.util.List;
import java.util.Objects;

/** Argument checks shared by the model records: each failure names the field, for an API to show as is. */
final class Checks {

    private Checks() {}

    static String text(String value, String field, int max) {
        if (value == null || value.isBlank()) throw new IllegalArgumentException(field + " must not be blank");
        if (value.length() > max) throw new IllegalArgumentException(field + " must be at most " + max + " characters");
        return value;
    }

    static <T> List<T> list(List<T> values, String field) {
        if (values == null) return List.of();
        for (T v : values) Objects.requireNonNull(v, () -> field + " must not contain null");
        return List.copyOf(values);
    }

    /**
     * A flag key or segment name: 1 to 200 characters, none of them whitespace, a control character, or one that
     * a URL path segment cannot carry plainly ({@code / \ ? # % ;}), and not {@code .} or {@code ..}. Unicode is
     * welcome (Unleash allows it).
     */
    static String key(String value, String field) {
        text(value, field, 200);
        if (value.equals(".") || value.equals("..")) throw new IllegalArgumentException(field + " must not be . or ..");
        for (int i = 0; i < value.length(); ) {
            int cp = value.codePointAt(i);
            if (Character.isWhitespace(cp) || Character.isISOControl(cp) || "/\\?#%;".indexOf(cp) >= 0) {
                throw new IllegalArgumentException(
                        field + " must not contain whitespace, control characters or any of / \\ ? # % ;");
            }
            i += Character.charCount(cp);
        }
        return value;
    }
}
