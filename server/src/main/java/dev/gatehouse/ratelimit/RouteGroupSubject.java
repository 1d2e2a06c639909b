package dev.gatehouse.ratelimit;

/** Whose requests a route group counts together. */
enum RouteGroupSubject {
    /** The client IP (an IPv6 client by its /64). */
    IP,
    /** The caller: the user, or the service key; the client IP when there is none. */
    CALLER,
    /** The account named by the request body's {@code email} (sign-in), as typed, trimmed and lower-cased. */
    ACCOUNT,
    /** The organization of the path's {@code {org}}. */
    ORG
}
