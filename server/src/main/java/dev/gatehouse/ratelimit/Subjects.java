package dev.gatehouse.ratelimit;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.UUID;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Whom a limit counts: {@code <scope>:<id>}, the form used in Redis keys, metrics' {@code scope} tag, the audit
 * log and {@code DELETE /api/v1/admin/ratelimits/{subject}}.
 */
final class Subjects {

    /** The scopes, each the prefix of its subjects. */
    enum Scope {
        IP("ip"),
        USER("user"),
        ORG("org"),
        API_KEY("key"),
        SERVICE("service"),
        ACCOUNT("account"),
        CHECK("check");

        final String prefix;

        Scope(String prefix) {
            this.prefix = prefix;
        }

        static @Nullable Scope of(String prefix) {
            for (Scope s : values()) if (s.prefix.equals(prefix)) return s;
            return null;
        }
    }

    /** Keys of the check API: printable ASCII without spaces or braces (braces would move the Redis hash tag). */
    static final Pattern CHECK_KEY = Pattern.compile("[\\x21-\\x7A|~]{1,200}");

    private static final int MAX_ACCOUNT = 254;

    private Subjects() {}

    /**
     * A client address: IPv4 as is, IPv6 by its /64 (one customer's network; counting single addresses would
     * let a client rotate through its 2^64 of them).
     */
    static String ip(String address) {
        if (address.indexOf(':') < 0) return "ip:" + address;
        return "ip:" + ipv6Prefix(address);
    }

    private static String ipv6Prefix(String address) {
        try {
            byte[] b = InetAddress.getByName(
                            address.startsWith("[") ? address.substring(1, address.length() - 1) : address)
                    .getAddress();
            if (b.length != 16) return address; // an IPv4-mapped address comes back as IPv4
            StringBuilder s = new StringBuilder(24);
            for (int i = 0; i < 8; i += 2) {
                s.append(Integer.toHexString(((b[i] & 0xff) << 8) | (b[i + 1] & 0xff)))
                        .append(':');
            }
            return s.append(":/64").toString();
        } catch (UnknownHostException | RuntimeException e) {
            return address;
        }
    }

    static String user(UUID id) {
        return "user:" + id;
    }

    static String service(UUID id) {
        return "service:" + id;
    }

    static String apiKey(UUID id) {
        return "key:" + id;
    }

    static String org(UUID id) {
        return "org:" + id;
    }

    /** A sign-in account by the email as typed: trimmed and lower-cased, like identity's own counters. */
    static String account(String email) {
        return "account:" + email.strip().toLowerCase(Locale.ROOT);
    }

    static String check(String key) {
        return "check:" + key;
    }

    /** The scope of a subject (its prefix), for metrics. */
    static String scopeOf(String subject) {
        int colon = subject.indexOf(':');
        return colon < 0 ? subject : subject.substring(0, colon);
    }

    /**
     * A subject as an admin types it, in the form the limiter stores it, or null when it is not one: a known
     * scope, and an id of that scope's shape.
     */
    static @Nullable String parse(String raw) {
        int colon = raw.indexOf(':');
        if (colon < 1 || raw.length() > 260) return null;
        Scope scope = Scope.of(raw.substring(0, colon));
        String id = raw.substring(colon + 1);
        if (scope == null || id.isEmpty()) return null;
        return switch (scope) {
            case IP -> ipLiteral(id) ? ip(id) : null;
            case USER, ORG, API_KEY, SERVICE -> uuid(id) == null ? null : scope.prefix + ":" + uuid(id);
            case ACCOUNT ->
                id.length() <= MAX_ACCOUNT
                                && id.indexOf('@') > 0
                                && CHECK_KEY.matcher(id).matches()
                        ? account(id)
                        : null;
            case CHECK -> CHECK_KEY.matcher(id).matches() ? check(id) : null;
        };
    }

    private static @Nullable UUID uuid(String id) {
        try {
            return id.length() == 36 ? UUID.fromString(id) : null;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** An IPv4 or IPv6 literal (never a host name: nothing here may look anything up). */
    private static boolean ipLiteral(String id) {
        if (id.length() > 45) return false;
        if (id.indexOf(':') >= 0) return id.chars().allMatch(c -> Character.digit(c, 16) >= 0 || c == ':' || c == '.');
        String[] parts = id.split("\\.", -1);
        if (parts.length != 4) return false;
        for (String p : parts) {
            if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(Character::isDigit) || Integer.parseInt(p) > 255) {
                return false;
            }
        }
        return true;
    }
}
