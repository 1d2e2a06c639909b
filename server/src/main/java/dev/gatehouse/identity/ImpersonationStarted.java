package dev.gatehouse.identity;

import java.time.Instant;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * An admin started impersonating a user: a short-lived access token for the user, in a session of its
 * own marked with the admin. Published inside the transaction that opened that session.
 *
 * @param actorId the admin
 * @param userId the user impersonated
 * @param sessionId the impersonation session
 * @param requestId the request
 * @param occurredAt when
 */
public record ImpersonationStarted(
        UUID actorId, UUID userId, UUID sessionId, @Nullable String requestId, Instant occurredAt)
        implements IdentityEvent {}
