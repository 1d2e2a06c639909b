package dev.gatehouse.platform;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import org.jspecify.annotations.Nullable;

/**
 * The one rule for text that enters the API, wherever it arrives (JSON strings and object keys, query and
 * form parameters, the request path): valid Unicode without control characters other than tab, line feed
 * and carriage return. PostgreSQL cannot store NUL in text at all (a NUL that reached a query used to
 * answer 500), and the other C0 and C1 controls and unpaired surrogates belong in no name, address, token
 * or password; refusing them at the boundary, with the field named, keeps every module from having to.
 *
 * <p>Also the strict percent-decoding of query strings, form bodies and paths: every {@code %} starts a
 * two-digit escape, and the decoded bytes are well-formed UTF-8 (Java's decoder refuses overlong forms and
 * encoded surrogates).
 */
final class InputText {

    static final String CONTROL_CHARACTER =
            "Must not contain control characters (other than tab, line feed and carriage return).";
    static final String NOT_UNICODE = "Must be valid Unicode text (it holds an unpaired surrogate).";
    static final String BAD_ESCAPE = "Has a % that does not start a two-digit hexadecimal escape.";
    static final String NOT_UTF8 = "Is not valid UTF-8 once percent-decoded.";

    private InputText() {}

    /** Why the text is refused, or {@code null} when it is acceptable. */
    static @Nullable String refusal(String text) {
        for (int i = 0, n = text.length(); i < n; i++) {
            char c = text.charAt(i);
            if (c >= 0x20 && c < 0x7F) continue; // printable ASCII, nearly every character: one test
            if (c < 0x20) {
                if (c != '\t' && c != '\n' && c != '\r') return CONTROL_CHARACTER;
            } else if (c >= 0x7F && c <= 0x9F) {
                return CONTROL_CHARACTER;
            } else if (Character.isHighSurrogate(c)) {
                if (i + 1 == n || !Character.isLowSurrogate(text.charAt(i + 1))) return NOT_UNICODE;
                i++;
            } else if (Character.isLowSurrogate(c)) {
                return NOT_UNICODE;
            }
        }
        return null;
    }

    /** Text that could not be decoded or breaks the rule; {@link #getMessage()} says why, for the client. */
    static final class Refused extends Exception {
        Refused(String reason) {
            super(reason, null, /* enableSuppression= */ false, /* writableStackTrace= */ false);
        }
    }

    /**
     * Decodes {@code %XX} escapes (and {@code +} as a space when {@code plusIsSpace}, as in query strings and
     * form bodies) of {@code raw[from, to)} as UTF-8, and applies the rule to the result.
     */
    static String decode(byte[] raw, int from, int to, boolean plusIsSpace) throws Refused {
        boolean plain = true;
        for (int i = from; i < to && plain; i++) {
            byte b = raw[i];
            plain = b != '%' && b >= 0 && !(plusIsSpace && b == '+');
        }
        String text;
        if (plain) {
            text = new String(raw, from, to - from, StandardCharsets.US_ASCII);
        } else {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(to - from);
            for (int i = from; i < to; i++) {
                byte b = raw[i];
                if (b == '%') {
                    int high = i + 2 < to ? Character.digit(raw[i + 1], 16) : -1;
                    int low = high >= 0 ? Character.digit(raw[i + 2], 16) : -1;
                    if (low < 0) throw new Refused(BAD_ESCAPE);
                    bytes.write((high << 4) | low);
                    i += 2;
                } else {
                    bytes.write(plusIsSpace && b == '+' ? ' ' : b);
                }
            }
            try {
                text = StandardCharsets.UTF_8
                        .newDecoder()
                        .onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT)
                        .decode(ByteBuffer.wrap(bytes.toByteArray()))
                        .toString();
            } catch (CharacterCodingException e) {
                throw new Refused(NOT_UTF8);
            }
        }
        String refusal = refusal(text);
        if (refusal != null) throw new Refused(refusal);
        return text;
    }
}
