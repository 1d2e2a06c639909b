package dev.gatehouse.identity;

import java.time.Instant;
import java.util.Locale;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * A sign-in attempt failed. Published inside the transaction that counted it against brute-force limits.
 *
 * @param email the normalized email that was tried (it may belong to no account)
 * @param userId the account it belongs to, when there is one
 * @param ip the client's address
 * @param reason why it failed
 * @param requestId the request
 * @param occurredAt when
 */
public record SignInFailed(
        String email,
        @Nullable UUID userId,
        @Nullable String ip,
        Reason reason,
        @Nullable String requestId,
        Instant occurredAt)
        implements IdentityEvent {

    /** Why a sign-in failed. */
    public enum Reason {
        /** An unknown email or a wrong password (the answer does not tell which). */
        INVALID_CREDENTIALS,
        /** A wrong or replayed second-factor code after a right password. */
        INVALID_MFA_CODE;

        /** The lower-case form the API and the audit log use ({@code invalid_credentials}). */
        public String code() {
            return name().toLowerCase(Locale.ROOT);
        }
    }
}
