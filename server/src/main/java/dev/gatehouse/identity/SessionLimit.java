package dev.gatehouse.identity;

import java.util.OptionalInt;
import java.util.UUID;

/**
 * How many sessions one user may have open at once; signing in beyond it ends the user's oldest session. The
 * subscription module provides one from the plans of the user's organizations; without it (identity alone) there
 * is no limit. Platform staff (support, admin, superadmin) are not limited: plans limit a customer's members, not
 * Gatehouse's own operators.
 */
public interface SessionLimit {

    /** The user's concurrent-session limit, or empty for unlimited. */
    OptionalInt concurrentSessions(UUID userId);
}
