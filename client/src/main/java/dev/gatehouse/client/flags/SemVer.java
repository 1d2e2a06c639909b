package dev.gatehouse.client.flags;

import java.math.BigInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A semantic version (semver.org 2.0.0): major.minor.patch, all three required, no leading zeros, an optional
 * pre-release and build metadata. Precedence follows the standard: a pre-release sorts before its release,
 * numeric identifiers compare as numbers and before alphanumeric ones; build metadata is ignored.
 */
final class SemVer implements Comparable<SemVer> {

    private static final Pattern SHAPE = Pattern.compile("(0|[1-9]\\d*)\\.(0|[1-9]\\d*)\\.(0|[1-9]\\d*)"
            + "(?:-((?:0|[1-9]\\d*|\\d*[A-Za-z-][0-9A-Za-z-]*)(?:\\.(?:0|[1-9]\\d*|\\d*[A-Za-z-][0-9A-Za-z-]*))*))?"
            + "(?:\\+([0-9A-Za-z-]+(?:\\.[0-9A-Za-z-]+)*))?");

    private final BigInteger major;
    private final BigInteger minor;
    private final BigInteger patch;
    private final String[] pre;

    private SemVer(BigInteger major, BigInteger minor, BigInteger patch, String[] pre) {
        this.major = major;
        this.minor = minor;
        this.patch = patch;
        this.pre = pre;
    }

    /** The version, or null when the text is not one. */
    static SemVer parse(String text) {
        if (text == null) return null;
        Matcher m = SHAPE.matcher(text);
        if (!m.matches()) return null;
        String pre = m.group(4);
        return new SemVer(
                new BigInteger(m.group(1)),
                new BigInteger(m.group(2)),
                new BigInteger(m.group(3)),
                pre == null ? new String[0] : pre.split("\\."));
    }

    @Override
    public int compareTo(SemVer o) {
        int c = major.compareTo(o.major);
        if (c == 0) c = minor.compareTo(o.minor);
        if (c == 0) c = patch.compareTo(o.patch);
        if (c != 0) return c;
        if (pre.length == 0 || o.pre.length == 0) return Integer.compare(o.pre.length, pre.length);
        for (int i = 0; i < Math.min(pre.length, o.pre.length); i++) {
            c = identifier(pre[i], o.pre[i]);
            if (c != 0) return c;
        }
        return Integer.compare(pre.length, o.pre.length);
    }

    private static int identifier(String a, String b) {
        boolean an = a.chars().allMatch(Character::isDigit);
        boolean bn = b.chars().allMatch(Character::isDigit);
        if (an && bn) return new BigInteger(a).compareTo(new BigInteger(b));
        if (an) return -1;
        if (bn) return 1;
        return a.compareTo(b);
    }
}
