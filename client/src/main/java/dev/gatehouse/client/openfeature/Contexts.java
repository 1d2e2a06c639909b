package dev.gatehouse.client.openfeature;

import dev.gatehouse.client.flags.FlagContext;
import dev.openfeature.sdk.EvaluationContext;
import dev.openfeature.sdk.Value;
import java.math.BigDecimal;
import java.time.Instant;

/**
 * OpenFeature's evaluation context as the engine's {@link FlagContext}: the targeting key is the user id; every
 * other attribute is a field by its name, a standard one ({@code org_id}, {@code plan}, {@code country}, ... as in
 * {@code POST /api/v1/flags/evaluate}) or a property. Values become text as the server's JSON would carry them.
 */
final class Contexts {

    private Contexts() {}

    static FlagContext of(EvaluationContext context) {
        if (context == null || context.isEmpty()) return FlagContext.EMPTY;
        FlagContext.Builder b = FlagContext.builder();
        for (String name : context.keySet()) {
            if (name.equals(EvaluationContext.TARGETING_KEY)) continue;
            String text = text(context.getValue(name));
            if (text != null) b.set(name, text);
        }
        // The targeting key is OpenFeature's name for the subject of an evaluation: it wins over a user_id attribute.
        String key = context.getTargetingKey();
        if (key != null && !key.isEmpty()) b.userId(key);
        return b.build();
    }

    /** The text of a scalar; null for null, structures and lists, which a flag context has no place for. */
    static String text(Value value) {
        if (value == null) return null;
        Object o = value.asObject();
        if (o instanceof String s) return s;
        if (o instanceof Boolean b) return b.toString();
        if (o instanceof Integer || o instanceof Long) return o.toString();
        // 65.0 is "65", as a JSON number would be written: an IN constraint compares text
        if (o instanceof Double d) {
            if (d.isNaN() || d.isInfinite()) return null;
            return BigDecimal.valueOf(d).stripTrailingZeros().toPlainString();
        }
        if (o instanceof Number n) return n.toString();
        if (o instanceof Instant i) return i.toString();
        return null;
    }
}
