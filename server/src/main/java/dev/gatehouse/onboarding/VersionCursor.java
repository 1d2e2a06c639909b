package dev.gatehouse.onboarding;

import dev.gatehouse.platform.Problems;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * The position after the last version of a page, as an opaque token (base64url of {@code v<number>}). Versions are
 * ordered by their number, not by (time, id) like the lists {@code PageCursor} serves.
 */
final class VersionCursor {

    private VersionCursor() {}

    static String encode(int version) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(("v" + version).getBytes(StandardCharsets.UTF_8));
    }

    static int decode(String token) {
        try {
            String raw = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
            if (!raw.matches("v[1-9][0-9]{0,8}")) throw new IllegalArgumentException(raw);
            return Integer.parseInt(raw.substring(1));
        } catch (IllegalArgumentException e) {
            throw Problems.badRequest("invalid_cursor", "The cursor is not one this API returned.");
        }
    }
}
