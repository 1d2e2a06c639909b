package dev.gatehouse.identity;

import dev.gatehouse.platform.PlatformRole;
import java.time.Instant;
import java.util.Collection;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Set;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * A person who can sign in. Its status and roles change only through the methods below, which refuse what
 * an account cannot become (a suspended account suspended again, a person holding the service role).
 */
record User(
        UUID id,
        String email,
        @Nullable Instant emailVerifiedAt,
        String passwordHash,
        String name,
        String locale,
        Set<PlatformRole> roles,
        UserStatus status,
        Instant createdAt,
        Instant updatedAt,
        @Nullable Instant mfaEnabledAt) {

    User {
        roles = roles(roles);
    }

    /** A new, active account with these roles; its address is not verified unless {@code verifiedAt} says so. */
    static User register(
            String email,
            @Nullable Instant verifiedAt,
            String passwordHash,
            String name,
            String locale,
            Set<PlatformRole> roles,
            Instant now) {
        return new User(
                UUID.randomUUID(),
                email,
                verifiedAt,
                passwordHash,
                name,
                locale,
                roles,
                UserStatus.ACTIVE,
                now,
                now,
                null);
    }

    boolean verified() {
        return emailVerifiedAt != null;
    }

    boolean mfaEnabled() {
        return mfaEnabledAt != null;
    }

    boolean active() {
        return status == UserStatus.ACTIVE;
    }

    /** Admins and superadmins, who cannot be impersonated. */
    boolean privileged() {
        return roles.stream().anyMatch(PlatformRole::privileged);
    }

    /** The account suspended; refuses one that is not active. */
    User suspend(Instant at) {
        return withStatus(status.suspend(), at);
    }

    /** The suspension lifted; refuses an account that is not suspended. */
    User activate(Instant at) {
        return withStatus(status.activate(), at);
    }

    boolean deleted() {
        return status == UserStatus.DELETED;
    }

    /**
     * The account deleted: its email replaced by one that can never be an address ({@code .invalid}, RFC 2606), so
     * the real one can register again, and the row kept for the records that point at it.
     */
    User delete(Instant at) {
        String freed = "deleted-" + id + "@deleted.invalid";
        return new User(
                id,
                freed,
                emailVerifiedAt,
                passwordHash,
                name,
                locale,
                roles,
                status.delete(),
                createdAt,
                at,
                mfaEnabledAt);
    }

    /** The account with these roles instead of its own. */
    User withRoles(Set<PlatformRole> newRoles, Instant at) {
        return new User(
                id, email, emailVerifiedAt, passwordHash, name, locale, newRoles, status, createdAt, at, mfaEnabledAt);
    }

    private User withStatus(UserStatus newStatus, Instant at) {
        return new User(
                id, email, emailVerifiedAt, passwordHash, name, locale, roles, newStatus, createdAt, at, mfaEnabledAt);
    }

    /**
     * A person's roles, in the enum's order: at least one, and never {@link PlatformRole#SERVICE} (the
     * {@code users.roles} check constraint refuses the same).
     */
    static Set<PlatformRole> roles(Collection<PlatformRole> roles) {
        if (roles.isEmpty()) throw new IllegalArgumentException("A user holds at least one role.");
        if (!PlatformRole.ASSIGNABLE.containsAll(roles)) {
            throw new IllegalArgumentException("A user cannot hold the roles " + roles + ".");
        }
        return Collections.unmodifiableSet(EnumSet.copyOf(roles));
    }
}
