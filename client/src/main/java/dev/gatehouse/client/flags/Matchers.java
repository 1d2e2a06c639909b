package dev.gatehouse.client.flags;

import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Constraints compiled once per snapshot, so evaluation parses nothing that the flag definition holds. The
 * semantics are Unleash's (Yggdrasil's): a missing context value fails every operator except NOT_IN (which it
 * satisfies), {@code inverted} negates the result, and a constraint whose own value does not parse is false.
 */
final class Matchers {

    private Matchers() {}

    /** A compiled constraint. */
    interface Matcher {
        boolean test(FlagContext context, Clock clock);
    }

    static final Matcher NEVER = (context, clock) -> false;

    static Matcher compile(Constraint c) {
        Matcher bare = bare(c);
        if (bare == NEVER) return NEVER;
        return c.inverted() ? (context, clock) -> !bare.test(context, clock) : bare;
    }

    /** Why a constraint's value can never match, or null when it is fine. */
    static String problem(Constraint c) {
        String v = c.value();
        switch (c.operator()) {
            case NUM_EQ, NUM_GT, NUM_GTE, NUM_LT, NUM_LTE:
                return number(v) == null ? c.operator() + " needs a number, got '" + v + "'" : null;
            case DATE_AFTER, DATE_BEFORE:
                return date(v) == null
                        ? c.operator() + " needs an ISO-8601 date-time with offset, got '" + v + "'"
                        : null;
            case SEMVER_EQ, SEMVER_GT, SEMVER_GTE, SEMVER_LT, SEMVER_LTE:
                return SemVer.parse(v) == null
                        ? c.operator() + " needs a semantic version such as 1.2.3, got '" + v + "'"
                        : null;
            case REGEX:
                return Regexes.problem(v);
            case IN_CIDR:
                for (String r : c.values()) {
                    if (IpRange.parse(r) == null) return "IN_CIDR needs addresses or CIDR ranges, got '" + r + "'";
                }
                return null;
            default:
                return null;
        }
    }

    private static Matcher bare(Constraint c) {
        String field = c.contextName();
        boolean ci = c.caseInsensitive();
        switch (c.operator()) {
            case IN: {
                Set<String> values = set(c.values(), ci);
                return (context, clock) -> {
                    String v = context.get(field);
                    return v != null && values.contains(ci ? lower(v) : v);
                };
            }
            case NOT_IN: {
                Set<String> values = set(c.values(), ci);
                return (context, clock) -> {
                    String v = context.get(field);
                    return v == null || !values.contains(ci ? lower(v) : v);
                };
            }
            case STR_CONTAINS:
            case STR_STARTS_WITH:
            case STR_ENDS_WITH: {
                List<String> values =
                        ci ? c.values().stream().map(Matchers::lower).toList() : c.values();
                Operator op = c.operator();
                return (context, clock) -> {
                    String v = context.get(field);
                    if (v == null) return false;
                    String s = ci ? lower(v) : v;
                    for (String x : values) {
                        boolean hit = op == Operator.STR_CONTAINS
                                ? s.contains(x)
                                : op == Operator.STR_STARTS_WITH ? s.startsWith(x) : s.endsWith(x);
                        if (hit) return true;
                    }
                    return false;
                };
            }
            case NUM_EQ:
            case NUM_GT:
            case NUM_GTE:
            case NUM_LT:
            case NUM_LTE: {
                Double target = number(c.value());
                if (target == null) return NEVER;
                double t = target;
                Operator op = c.operator();
                return (context, clock) -> {
                    Double v = number(context.get(field));
                    if (v == null) return false;
                    double x = v;
                    return switch (op) {
                        case NUM_EQ -> Math.abs(x - t) < Math.ulp(1.0);
                        case NUM_GT -> x > t;
                        case NUM_GTE -> x >= t;
                        case NUM_LT -> x < t;
                        default -> x <= t;
                    };
                };
            }
            case DATE_AFTER:
            case DATE_BEFORE: {
                Instant target = date(c.value());
                if (target == null) return NEVER;
                boolean after = c.operator() == Operator.DATE_AFTER;
                return (context, clock) -> {
                    String raw = context.get(field);
                    Instant v = raw == null && FlagContext.CURRENT_TIME.equals(field) ? clock.instant() : date(raw);
                    if (v == null) return false;
                    return after ? v.isAfter(target) : v.isBefore(target);
                };
            }
            case SEMVER_EQ:
            case SEMVER_GT:
            case SEMVER_GTE:
            case SEMVER_LT:
            case SEMVER_LTE: {
                SemVer target = SemVer.parse(c.value());
                if (target == null) return NEVER;
                Operator op = c.operator();
                return (context, clock) -> {
                    SemVer v = SemVer.parse(context.get(field));
                    if (v == null) return false;
                    int cmp = v.compareTo(target);
                    return switch (op) {
                        case SEMVER_EQ -> cmp == 0;
                        case SEMVER_GT -> cmp > 0;
                        case SEMVER_GTE -> cmp >= 0;
                        case SEMVER_LT -> cmp < 0;
                        default -> cmp <= 0;
                    };
                };
            }
            case REGEX: {
                Pattern p = Regexes.compile(c.value(), ci);
                if (p == null) return NEVER;
                return (context, clock) -> {
                    String v = context.get(field);
                    return v != null && p.matcher(v).find();
                };
            }
            case IN_CIDR: {
                List<IpRange> ranges = ranges(c.values());
                return (context, clock) -> inRanges(ranges, context.get(field));
            }
            default:
                throw new IllegalStateException("unhandled operator " + c.operator());
        }
    }

    static List<IpRange> ranges(List<String> values) {
        List<IpRange> ranges = new ArrayList<>();
        for (String r : values) {
            IpRange range = IpRange.parse(r);
            if (range != null) ranges.add(range);
        }
        return List.copyOf(ranges);
    }

    static boolean inRanges(List<IpRange> ranges, String address) {
        if (address == null || ranges.isEmpty()) return false;
        byte[] bytes = IpRange.address(address);
        if (bytes == null) return false;
        for (IpRange r : ranges) if (r.contains(bytes)) return true;
        return false;
    }

    private static Set<String> set(List<String> values, boolean ci) {
        Set<String> set = new HashSet<>();
        for (String v : values) set.add(ci ? lower(v) : v);
        return Set.copyOf(set);
    }

    private static String lower(String s) {
        return s.toLowerCase(Locale.ROOT);
    }

    /** Decimal numbers as Unleash's engine reads them: no surrounding spaces, no hexadecimal, no suffixes. */
    private static final Pattern NUMBER = Pattern.compile("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?");

    static Double number(String s) {
        if (s == null || !NUMBER.matcher(s).matches()) return null;
        return Double.parseDouble(s);
    }

    static Instant date(String s) {
        if (s == null) return null;
        try {
            return OffsetDateTime.parse(s).toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
