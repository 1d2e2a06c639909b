package dev.gatehouse.audit;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Re-verifies an exported line the way someone without Gatehouse's code would, from the documented form
 * alone: drop {@code hash}, write the rest as JSON with sorted keys and no whitespace, SHA-256 it. It uses
 * plain Jackson rather than the module's {@code CanonicalJson}, so the two must agree independently.
 */
final class OutsiderCheck {

    private static final JsonMapper SORTED = JsonMapper.builder()
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            .build();

    private OutsiderCheck() {}

    /** The hash the line should carry, as hex. */
    static String expectedHash(JsonNode line) {
        ObjectNode content = ((ObjectNode) line).deepCopy();
        content.remove("hash");
        return sha256Hex(SORTED.writeValueAsString(SORTED.treeToValue(content, Map.class)));
    }

    static String sha256Hex(String text) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
