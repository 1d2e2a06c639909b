package dev.gatehouse.identity;

import java.time.Instant;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * A rotated refresh token was presented again outside the grace window: its whole session was revoked.
 *
 * @param userId the session's user
 * @param sessionId the session revoked
 * @param requestId the request that presented the token
 * @param occurredAt when
 */
public record RefreshTokenReused(
        UUID userId, UUID sessionId, @Nullable String requestId, Instant occurredAt) implements IdentityEvent {}
