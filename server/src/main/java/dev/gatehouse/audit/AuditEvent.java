package dev.gatehouse.audit;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * One row of the chain as stored. Its {@link #content()} is what the hash covers; the hash is
 * {@code SHA-256(UTF-8(canonical JSON of content()))}, and the content includes the previous row's hash,
 * which is what makes it a chain.
 *
 * @param details a JSON object as maps, lists, strings, integers and booleans (typed loosely: a row read
 *     back is checked as it is stored, whatever that is)
 */
record AuditEvent(
        long seq,
        UUID id,
        Instant occurredAt,
        @Nullable UUID actorId,
        @Nullable UUID impersonatorId,
        String action,
        @Nullable String targetType,
        @Nullable String targetId,
        @Nullable String ip,
        @Nullable String userAgent,
        @Nullable String requestId,
        @Nullable Object details,
        byte[] prevHash,
        byte[] hash) {

    /** What the first row chains to. */
    static final byte[] GENESIS = new byte[32];

    static final HexFormat HEX = HexFormat.of();

    /**
     * RFC 3339 in UTC with exactly six fractional digits: PostgreSQL keeps microseconds, so times are cut to
     * microseconds before hashing, and one fixed width means one text for one instant.
     */
    static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSS'Z'").withZone(ZoneOffset.UTC);

    /** The hashed members, every one always present (null when empty), keyed as in the export. */
    Map<String, @Nullable Object> content() {
        Map<String, @Nullable Object> content = new LinkedHashMap<>();
        content.put("seq", seq);
        content.put("id", id.toString());
        content.put("occurred_at", TIME.format(occurredAt));
        content.put("actor_id", actorId == null ? null : actorId.toString());
        content.put("impersonator_id", impersonatorId == null ? null : impersonatorId.toString());
        content.put("action", action);
        content.put("target_type", targetType);
        content.put("target_id", targetId);
        content.put("ip", ip);
        content.put("user_agent", userAgent);
        content.put("request_id", requestId);
        content.put("details", details);
        content.put("prev_hash", HEX.formatHex(prevHash));
        return content;
    }

    /** The hash this row should carry, recomputed from its content. */
    byte[] computeHash() {
        try {
            return MessageDigest.getInstance("SHA-256")
                    .digest(CanonicalJson.write(content()).getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Every JDK has SHA-256", e);
        }
    }

    /** This row with the hash its content calls for (the writer builds rows with a placeholder hash). */
    AuditEvent withComputedHash() {
        return new AuditEvent(
                seq,
                id,
                occurredAt,
                actorId,
                impersonatorId,
                action,
                targetType,
                targetId,
                ip,
                userAgent,
                requestId,
                details,
                prevHash,
                computeHash());
    }

    /** The export line: the content plus {@code hash}, in canonical JSON. */
    String exportLine() {
        Map<String, @Nullable Object> line = content();
        line.put("hash", HEX.formatHex(hash));
        return CanonicalJson.write(line);
    }
}
