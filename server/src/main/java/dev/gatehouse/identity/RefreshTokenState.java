package dev.gatehouse.identity;

import java.util.Locale;

/**
 * Where a refresh token is in its family's life (RFC 9700 §4.14.2): {@code active} (the family's one live
 * token), {@code rotated} (used once; its successor is the active one) or {@code revoked} (its session
 * ended before it was used). The {@code refresh_tokens.state} check constraint backs the list, and a
 * partial unique index keeps one active token per family.
 *
 * <p>The transitions are the methods below, and they refuse what cannot happen: a token is used or revoked
 * only while active. The statements that move tokens take their states from here (see
 * {@link Sessions#rotateActive}), so the SQL cannot name a transition this type does not allow.
 */
enum RefreshTokenState {
    ACTIVE,
    ROTATED,
    REVOKED;

    /** The name in the database. */
    String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** A use: the active token gives way to its successor. */
    RefreshTokenState rotate() {
        if (this != ACTIVE)
            throw new IllegalStateException("Only the active refresh token rotates, not a " + wire() + " one.");
        return ROTATED;
    }

    /** The session ended: its active token can no longer be used. */
    RefreshTokenState revoke() {
        if (this != ACTIVE)
            throw new IllegalStateException("Only the active refresh token is revoked, not a " + wire() + " one.");
        return REVOKED;
    }

    static RefreshTokenState of(String wire) {
        return valueOf(wire.toUpperCase(Locale.ROOT));
    }
}
