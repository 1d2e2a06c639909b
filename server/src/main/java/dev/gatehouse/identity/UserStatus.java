package dev.gatehouse.identity;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Whether an account may sign in: {@code active}, {@code suspended} by an admin, or {@code deleted} by an admin
 * (for good: the row is kept, the email freed). The {@code users.status}
 * check constraint backs the list ({@code StateColumnsTest} keeps the two equal). The transitions are the
 * methods below; each refuses the one it cannot make, so an impossible change fails where it is attempted.
 */
enum UserStatus {
    ACTIVE,
    SUSPENDED,
    DELETED;

    /** The name on the wire and in the database. */
    @JsonValue
    String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Suspension; only an active account can be suspended. */
    UserStatus suspend() {
        if (this != ACTIVE)
            throw new IllegalStateException("Only an active account can be suspended, not a " + wire() + " one.");
        return SUSPENDED;
    }

    /** Deletion; a deleted account stays deleted (nothing moves it back). */
    UserStatus delete() {
        if (this == DELETED) throw new IllegalStateException("The account is deleted already.");
        return DELETED;
    }

    /** Lifting a suspension; only a suspended account can be activated. */
    UserStatus activate() {
        if (this != SUSPENDED) {
            throw new IllegalStateException("Only a suspended account can be activated, not an " + wire() + " one.");
        }
        return ACTIVE;
    }

    /**
     * The status with this wire name.
     *
     * @throws IllegalArgumentException naming the accepted values
     */
    static UserStatus of(String wire) {
        for (UserStatus status : values()) {
            if (status.wire().equals(wire)) return status;
        }
        throw new IllegalArgumentException("Must be one of "
                + Arrays.stream(values()).map(UserStatus::wire).collect(Collectors.joining(", ")) + ".");
    }
}
