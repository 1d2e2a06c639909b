package dev.gatehouse.identity;

import java.time.Instant;
import java.util.UUID;

/** An admin cleared brute-force counters and lockouts ({@code subject} as given: email:, user: or ip:). */
public record ThrottleCleared(UUID actorId, String subject, int cleared, Instant at) {}
