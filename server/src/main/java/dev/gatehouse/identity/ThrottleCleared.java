package dev.gatehouse.identity;

import java.time.Instant;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * An admin cleared brute-force counters and lockouts.
 *
 * @param actorId the admin
 * @param subject what was cleared, as the admin gave it ({@code email:}, {@code user:} or {@code ip:})
 * @param cleared how many counters were deleted
 * @param requestId the request
 * @param occurredAt when
 */
public record ThrottleCleared(
        UUID actorId, String subject, int cleared, @Nullable String requestId, Instant occurredAt)
        implements IdentityEvent {}
