package dev.gatehouse.identity;

import java.time.Instant;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * A user's password changed: by the user ({@code reset} false) or through an emailed reset link.
 * Published inside the transaction that changed it.
 *
 * @param userId the user
 * @param reset whether an emailed reset link set it (else the user changed it, knowing the old one)
 * @param sessionsRevoked how many sessions the change ended
 * @param requestId the request that changed it
 * @param occurredAt when
 */
public record PasswordChanged(
        UUID userId,
        boolean reset,
        int sessionsRevoked,
        @Nullable String requestId,
        Instant occurredAt) implements IdentityEvent {}
