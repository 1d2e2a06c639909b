package dev.gatehouse.identity;

import java.time.Instant;
import java.util.UUID;

/**
 * A user's password changed: by the user ({@code reset} false) or through an emailed reset link.
 * Published inside the transaction that changed it.
 */
public record PasswordChanged(UUID userId, boolean reset, int sessionsRevoked, Instant at) {}
