package dev.gatehouse.apikey;

import dev.gatehouse.platform.OpaqueTokens;

/**
 * Key secrets: opaque tokens with a kind prefix ({@code gh_pk_} for organizations' API keys, {@code gh_sk_}
 * for service keys), 49 characters in all, stored only as their SHA-256.
 */
final class KeySecrets {

    static final OpaqueTokens ORG = OpaqueTokens.prefixed("gh_pk_");
    static final OpaqueTokens SERVICE = OpaqueTokens.prefixed("gh_sk_");

    /** How many leading characters are stored and shown, to tell keys apart: the kind prefix plus 6. */
    static final int VISIBLE = 12;

    private KeySecrets() {}

    static KeyHash hash(String key) {
        return KeyHash.of(OpaqueTokens.sha256(key));
    }

    static String visiblePrefix(String key) {
        return key.substring(0, VISIBLE);
    }
}
