package dev.gatehouse.identity;

import java.time.Instant;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * A session was ended by its own refresh token (logout). Published inside the transaction that ended it.
 *
 * @param userId the user
 * @param sessionId the session ended
 * @param requestId the request
 * @param occurredAt when
 */
public record SignedOut(
        UUID userId, UUID sessionId, @Nullable String requestId, Instant occurredAt) implements IdentityEvent {}
