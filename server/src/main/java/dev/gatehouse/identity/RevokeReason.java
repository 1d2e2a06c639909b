package dev.gatehouse.identity;

import java.util.Locale;

/**
 * Why a session ended, kept in {@code sessions.revoke_reason} (checked against this list in the database since
 * V11; {@code StateColumnsTest} keeps the two equal). A session is live until it is revoked with one of these
 * or expires; revocation happens once (see {@link Sessions#revoke}).
 */
enum RevokeReason {
    /** The user signed out with the session's refresh token. */
    LOGOUT,
    /** The user ended it from their session list. */
    REVOKED_BY_USER,
    /** An admin ended every session of the user. */
    REVOKED_BY_ADMIN,
    /** The user changed their password (every other session ends). */
    PASSWORD_CHANGED,
    /** A password reset link was used. */
    PASSWORD_RESET,
    /** A superadmin changed the user's platform roles, which access tokens carry. */
    ROLES_CHANGED,
    /** An admin suspended the account. */
    SUSPENDED,
    /** A rotated refresh token was presented again: the family is presumed stolen. */
    REFRESH_TOKEN_REUSED,
    /** Too many wrong step-up proofs in a row. */
    STEP_UP_FAILURES,
    /** The user signed in once more than their plan's concurrent-session limit: the oldest session ends. */
    SESSION_LIMIT,
    /** An admin deleted the account. */
    USER_DELETED;

    /** The name in the database. */
    String wire() {
        return name().toLowerCase(Locale.ROOT);
    }
}
