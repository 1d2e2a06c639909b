package dev.gatehouse.client.flags;

import java.util.Map;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * REGEX constraints use the syntax of Rust's {@code regex} crate, which Unleash's engine (Yggdrasil) evaluates
 * them with: a pattern Unleash cannot compile must not match here either. That syntax is a subset of Java's
 * without look-around, back-references, atomic groups and possessive quantifiers (those are refused), and with
 * POSIX classes such as {@code [[:alpha:]]} (translated to Java's {@code \p{Alpha}}). Classes such as {@code \d}
 * and {@code \w} are Unicode-aware in both ({@link Pattern#UNICODE_CHARACTER_CLASS}).
 */
final class Regexes {

    private static final Map<String, String> POSIX = Map.ofEntries(
            Map.entry("alpha", "\\p{Alpha}"),
            Map.entry("digit", "\\p{Digit}"),
            Map.entry("alnum", "\\p{Alnum}"),
            Map.entry("upper", "\\p{Upper}"),
            Map.entry("lower", "\\p{Lower}"),
            Map.entry("space", "\\s"),
            Map.entry("punct", "\\p{Punct}"),
            Map.entry("xdigit", "\\p{XDigit}"),
            Map.entry("word", "\\w"),
            Map.entry("blank", "\\p{Blank}"),
            Map.entry("cntrl", "\\p{Cntrl}"),
            Map.entry("graph", "\\p{Graph}"),
            Map.entry("print", "\\p{Print}"),
            Map.entry("ascii", "\\p{ASCII}"));

    private Regexes() {}

    /** The compiled pattern, or null when Unleash's engine would refuse it. */
    static Pattern compile(String source, boolean caseInsensitive) {
        String java = translate(source);
        if (java == null) return null;
        try {
            int flags = Pattern.UNICODE_CHARACTER_CLASS | (caseInsensitive ? Pattern.CASE_INSENSITIVE : 0);
            return Pattern.compile(java, flags);
        } catch (PatternSyntaxException e) {
            return null;
        }
    }

    /** Why the pattern is refused, or null when it compiles. */
    static String problem(String source) {
        if (translate(source) == null) {
            return "the regular expression uses look-around, a back-reference, an atomic group or a possessive"
                    + " quantifier, which are not supported";
        }
        try {
            Pattern.compile(translate(source));
            return null;
        } catch (PatternSyntaxException e) {
            return "the regular expression does not compile: " + e.getDescription();
        }
    }

    private static String translate(String s) {
        StringBuilder out = new StringBuilder(s.length() + 8);
        boolean inClass = false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\') {
                if (i + 1 >= s.length()) return s; // let the compiler refuse it
                char n = s.charAt(i + 1);
                if (n >= '1' && n <= '9' && !inClass) return null; // back-reference
                if (n == 'k' && !inClass) return null; // named back-reference
                out.append(c).append(n);
                i++;
                continue;
            }
            if (inClass) {
                if (c == '[' && s.startsWith("[:", i)) {
                    int end = s.indexOf(":]", i + 2);
                    if (end > 0) {
                        String name = s.substring(i + 2, end);
                        String negated = name.startsWith("^") ? name.substring(1) : null;
                        String cls = POSIX.get(negated != null ? negated : name);
                        if (cls != null) {
                            out.append(negated != null ? cls.replace("\\p", "\\P") : cls);
                            i = end + 1;
                            continue;
                        }
                    }
                }
                if (c == ']') inClass = false;
                out.append(c);
                continue;
            }
            if (c == '[') {
                inClass = true;
                out.append(c);
                // a ']' (or '^]') right after the opening bracket is a literal, not the end
                if (i + 1 < s.length() && s.charAt(i + 1) == '^') out.append(s.charAt(++i));
                if (i + 1 < s.length() && s.charAt(i + 1) == ']') {
                    out.append("\\]");
                    i++;
                }
                continue;
            }
            if (c == '(' && s.startsWith("(?", i)) {
                if (s.startsWith("(?=", i)
                        || s.startsWith("(?!", i)
                        || s.startsWith("(?<=", i)
                        || s.startsWith("(?<!", i)
                        || s.startsWith("(?>", i)) {
                    return null;
                }
                if (s.startsWith("(?P<", i)) {
                    out.append("(?<");
                    i += 3;
                    continue;
                }
            }
            if (c == '+' && i > 0 && "*+?}".indexOf(s.charAt(i - 1)) >= 0 && !escaped(s, i - 1)) {
                return null; // possessive quantifier
            }
            out.append(c);
        }
        return out.toString();
    }

    private static boolean escaped(String s, int at) {
        int backslashes = 0;
        for (int j = at - 1; j >= 0 && s.charAt(j) == '\\'; j--) backslashes++;
        return backslashes % 2 == 1;
    }
}
