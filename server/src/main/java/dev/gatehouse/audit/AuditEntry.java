package dev.gatehouse.audit;

import dev.gatehouse.platform.Caller;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * What happened, by whom, to what: one audit event before it is chained. Values are checked and copied on
 * creation, so a bad entry fails where it is built, not in the middle of the caller's transaction.
 *
 * <p>Typical use: {@code AuditEntry.by(caller, "user.suspended").target("user", userId).detail("reason", reason)}.
 *
 * @param action what happened, lowercase dotted words, e.g. {@code user.suspended} (at most 100 characters)
 * @param actorId the user the action was performed as, or null for the system (a job, a timer)
 * @param impersonatorId the admin behind an impersonation token (RFC 8693 {@code act}), else null
 * @param targetType the kind of object acted on, a lowercase word such as {@code user}, or null
 * @param targetId the id of that object (needs a {@code targetType}), or null
 * @param details more facts as JSON values: strings, booleans, integers, null, lists and string-keyed maps
 *     of these (UUIDs and instants are stored as strings). Decimals are refused: their JSON text has no
 *     single canonical form, and the hash chain needs one; pass them as strings.
 */
public record AuditEntry(
        String action,
        @Nullable UUID actorId,
        @Nullable UUID impersonatorId,
        @Nullable String targetType,
        @Nullable String targetId,
        Map<String, @Nullable Object> details) {

    private static final Pattern ACTION = Pattern.compile("[a-z][a-z0-9_]*(\\.[a-z][a-z0-9_]*)+");
    private static final Pattern TARGET_TYPE = Pattern.compile("[a-z][a-z0-9_]*");
    private static final int MAX_DEPTH = 16;

    public AuditEntry {
        if (action.length() > 100 || !ACTION.matcher(action).matches()) {
            throw new IllegalArgumentException(
                    "Audit action must be lowercase dotted words such as 'user.suspended', got '" + action + "'");
        }
        if (targetType != null
                && (targetType.length() > 50 || !TARGET_TYPE.matcher(targetType).matches())) {
            throw new IllegalArgumentException(
                    "Audit target type must be a lowercase word such as 'user', got '" + targetType + "'");
        }
        if (targetId != null) {
            if (targetType == null) throw new IllegalArgumentException("An audit target id needs a target type");
            if (targetId.isBlank() || targetId.length() > 200) {
                throw new IllegalArgumentException("Audit target id must be 1-200 characters");
            }
            targetId = clean(targetId);
        }
        details = copyMap(details, 0);
    }

    /** An event with no actor: something the system did on its own (a job, a timer, a webhook). */
    public static AuditEntry system(String action) {
        return new AuditEntry(action, null, null, null, null, Map.of());
    }

    /** An event caused by a user; use {@link #by(Caller, String)} when the request's caller is at hand. */
    public static AuditEntry by(UUID actorId, String action) {
        return new AuditEntry(action, actorId, null, null, null, Map.of());
    }

    /**
     * An event caused by the caller of the current request. Under impersonation the actor is the user being
     * impersonated and the impersonator is the admin, so both are on record.
     */
    public static AuditEntry by(Caller caller, String action) {
        return new AuditEntry(action, caller.userId(), caller.actorId(), null, null, Map.of());
    }

    /** This entry with a target; {@code id} is stored as its {@code toString()}. */
    public AuditEntry target(String type, Object id) {
        return new AuditEntry(action, actorId, impersonatorId, type, id.toString(), details);
    }

    /** This entry with one more detail (or a replaced one). */
    public AuditEntry detail(String key, @Nullable Object value) {
        Map<String, @Nullable Object> more = new LinkedHashMap<>(details);
        more.put(key, value);
        return new AuditEntry(action, actorId, impersonatorId, targetType, targetId, more);
    }

    /** This entry with more details (replacing those with the same keys). */
    public AuditEntry withDetails(Map<String, ? extends @Nullable Object> values) {
        Map<String, @Nullable Object> more = new LinkedHashMap<>(details);
        more.putAll(values);
        return new AuditEntry(action, actorId, impersonatorId, targetType, targetId, more);
    }

    private static Map<String, @Nullable Object> copyMap(Map<?, ? extends @Nullable Object> map, int depth) {
        if (depth > MAX_DEPTH) throw new IllegalArgumentException("Audit details nest deeper than " + MAX_DEPTH);
        Map<String, @Nullable Object> copy = new LinkedHashMap<>();
        for (Map.Entry<?, ? extends @Nullable Object> e : map.entrySet()) {
            if (!(e.getKey() instanceof String key)) {
                throw new IllegalArgumentException("Audit detail keys must be strings, got " + e.getKey());
            }
            copy.put(clean(key), copyValue(e.getValue(), depth + 1));
        }
        return Collections.unmodifiableMap(copy);
    }

    private static @Nullable Object copyValue(@Nullable Object value, int depth) {
        return switch (value) {
            case null -> null;
            case CharSequence s -> clean(s.toString());
            case Boolean b -> b;
            case Integer i -> i.longValue();
            case Long l -> l;
            case Short s -> s.longValue();
            case Byte b -> b.longValue();
            case BigInteger b -> b.bitLength() < 64 ? (Object) b.longValue() : b;
            case UUID u -> u.toString();
            case Instant i -> i.toString();
            case Double d -> throw decimal(d);
            case Float f -> throw decimal(f);
            case BigDecimal d -> throw decimal(d);
            case Map<?, ?> m -> copyMap(m, depth);
            case Collection<?> c -> {
                if (depth > MAX_DEPTH) {
                    throw new IllegalArgumentException("Audit details nest deeper than " + MAX_DEPTH);
                }
                List<@Nullable Object> list = new ArrayList<>(c.size());
                for (Object item : c) list.add(copyValue(item, depth + 1));
                yield Collections.unmodifiableList(list);
            }
            default ->
                throw new IllegalArgumentException("Audit details cannot hold a "
                        + value.getClass().getName() + "; use strings, booleans, integers, lists and maps");
        };
    }

    private static IllegalArgumentException decimal(Number n) {
        return new IllegalArgumentException("Audit details cannot hold the decimal " + n
                + "; pass it as a string (decimals have no canonical JSON)");
    }

    /**
     * PostgreSQL text cannot hold U+0000, and a lone surrogate has no UTF-8 form (encoders would turn it
     * into '?', silently); both become U+FFFD here, so what is hashed is exactly what is stored.
     */
    static String clean(String s) {
        StringBuilder out = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean bad;
            if (Character.isHighSurrogate(c)) {
                bad = i + 1 >= s.length() || !Character.isLowSurrogate(s.charAt(i + 1));
                if (!bad) {
                    if (out != null) out.append(c).append(s.charAt(i + 1));
                    i++;
                    continue;
                }
            } else {
                bad = c == '\u0000' || Character.isLowSurrogate(c);
            }
            if (bad && out == null) out = new StringBuilder(s.length()).append(s, 0, i);
            if (out != null) out.append(bad ? '\uFFFD' : c);
        }
        return out == null ? s : out.toString();
    }
}
