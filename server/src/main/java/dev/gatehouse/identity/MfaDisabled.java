package dev.gatehouse.identity;

import java.time.Instant;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * Two-factor sign-in was turned off for a user: the TOTP secret and every recovery code were deleted.
 * Published inside the transaction that made the change.
 *
 * @param userId the user
 * @param sessionId the session that turned it off (after a step-up)
 * @param requestId the request that made the change
 * @param occurredAt when
 */
public record MfaDisabled(
        UUID userId, @Nullable UUID sessionId, @Nullable String requestId, Instant occurredAt)
        implements IdentityEvent {}
