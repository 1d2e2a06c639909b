package dev.gatehouse.catalog;

import org.jspecify.annotations.Nullable;

/**
 * How much of something a plan allows per period.
 *
 * @param name a meter's key, or one of the built-in limits {@link #SEATS} and {@link #SESSIONS}
 * @param max the most allowed in one period; null for unlimited
 * @param period the window usage is counted in ({@link Period#NONE} for a standing limit)
 */
public record Limit(String name, @Nullable Long max, Period period) {

    /** Members plus open invitations of an organization (counted by the organization module). */
    public static final String SEATS = "seats";

    /** Concurrent sessions of one user; signing in beyond it ends the oldest session. */
    public static final String SESSIONS = "sessions";

    public boolean unlimited() {
        return max == null;
    }
}
