package dev.gatehouse.identity;

import java.time.Instant;
import java.util.Set;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/** A person who can sign in. */
record User(
        UUID id,
        String email,
        @Nullable Instant emailVerifiedAt,
        String passwordHash,
        String name,
        String locale,
        Set<String> roles,
        String status,
        Instant createdAt,
        Instant updatedAt,
        @Nullable Instant mfaEnabledAt) {

    boolean verified() {
        return emailVerifiedAt != null;
    }

    boolean mfaEnabled() {
        return mfaEnabledAt != null;
    }

    boolean active() {
        return "active".equals(status);
    }
}
