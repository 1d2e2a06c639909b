package dev.gatehouse.audit;

import dev.gatehouse.platform.Problems;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.regex.Pattern;

/**
 * The position after the last event of a page, as an opaque token: base64url of {@code seq:<n>}. Opaque so
 * that clients pass it back rather than build it, and we stay free to change the key.
 */
record AuditCursor(long seq) {

    private static final Pattern RAW = Pattern.compile("seq:[1-9][0-9]{0,17}");

    String encode() {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(("seq:" + seq).getBytes(StandardCharsets.UTF_8));
    }

    static AuditCursor decode(String token) {
        try {
            String raw = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
            if (RAW.matcher(raw).matches()) return new AuditCursor(Long.parseLong(raw.substring(4)));
        } catch (IllegalArgumentException e) {
            // not base64url: refused below
        }
        throw Problems.badRequest("invalid_cursor", "The cursor is not one this API returned.");
    }
}
