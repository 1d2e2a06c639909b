package dev.gatehouse.identity;

import java.time.Instant;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * A sign-in attempt failed. Published inside the transaction that counted it against brute-force limits.
 *
 * @param email the normalized email that was tried (it may belong to no account)
 * @param userId the account it belongs to, when there is one
 * @param reason {@code invalid_credentials} (unknown email or wrong password) or another failure code
 */
public record SignInFailed(
        String email, @Nullable UUID userId, @Nullable String ip, String reason, Instant at) {}
