package dev.gatehouse.ratelimit;

/** What a policy answers while its backend (Redis) cannot be reached. */
enum FailureMode {
    /** Admit the request: availability over protection (plans' and anonymous limits). */
    OPEN,
    /** Refuse with 503 {@code rate_limiter_unavailable}: protection over availability (sign-ups). */
    CLOSED
}
