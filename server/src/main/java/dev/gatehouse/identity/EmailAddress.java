package dev.gatehouse.identity;

import java.util.Locale;
import java.util.regex.Pattern;

/** A normalized (trimmed, lower-case) email address; valid by construction. */
record EmailAddress(String value) {

    /** Deliberately simple: one @, a dotted domain, no spaces. Deliverability is proven by the verification mail. */
    private static final Pattern SHAPE = Pattern.compile("^[^@\\s]{1,64}@[^@\\s]+\\.[^@\\s.]{2,}$");

    /** The form addresses are stored and looked up in, without validating it. */
    static String normalize(String raw) {
        return raw.trim().toLowerCase(Locale.ROOT);
    }

    static EmailAddress of(String raw) {
        String normalized = normalize(raw);
        if (normalized.length() > 254 || !SHAPE.matcher(normalized).matches()) {
            throw IdentityFailures.invalidEmail();
        }
        return new EmailAddress(normalized);
    }

    String domain() {
        return value.substring(value.indexOf('@') + 1);
    }
}
