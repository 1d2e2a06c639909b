package dev.gatehouse.platform;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.UUID;

/**
 * The position after the last row of a page, as an opaque token: base64url of {@code created_at|id}.
 * Opaque so that clients pass it back rather than build it, and we stay free to change the key. Every
 * keyset-paginated list ordered by (creation time, id) uses it.
 */
public record PageCursor(Instant createdAt, UUID id) {

    public String encode() {
        String raw = createdAt + "|" + id;
        return Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
    }

    public static PageCursor decode(String token) {
        try {
            String raw = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
            int bar = raw.indexOf('|');
            if (bar < 0) throw new IllegalArgumentException("no separator");
            return new PageCursor(Instant.parse(raw.substring(0, bar)), UUID.fromString(raw.substring(bar + 1)));
        } catch (IllegalArgumentException | DateTimeParseException e) {
            throw Problems.badRequest("invalid_cursor", "The cursor is not one this API returned.");
        }
    }
}
