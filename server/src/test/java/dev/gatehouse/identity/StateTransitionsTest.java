package dev.gatehouse.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatehouse.platform.PlatformRole;
import java.time.Instant;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The transitions of identity's states, on plain objects: each allowed one, and the refusal of the rest. */
class StateTransitionsTest {

    static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    static final Instant T1 = T0.plusSeconds(60);

    private static User person() {
        return User.register("a@example.com", T0, "hash", "A", "en", Set.of(PlatformRole.USER), T0);
    }

    @Test
    void onlyAnActiveAccountIsSuspendedAndOnlyASuspendedOneActivated() {
        User user = person();
        assertThat(user.active()).isTrue();
        assertThatThrownBy(() -> user.activate(T1)).isInstanceOf(IllegalStateException.class);

        User suspended = user.suspend(T1);
        assertThat(suspended.status()).isEqualTo(UserStatus.SUSPENDED);
        assertThat(suspended.active()).isFalse();
        assertThat(suspended.updatedAt()).isEqualTo(T1);
        assertThatThrownBy(() -> suspended.suspend(T1)).isInstanceOf(IllegalStateException.class);

        assertThat(suspended.activate(T1).status()).isEqualTo(UserStatus.ACTIVE);
    }

    @Test
    void onlyTheActiveRefreshTokenRotatesOrIsRevoked() {
        assertThat(RefreshTokenState.ACTIVE.rotate()).isEqualTo(RefreshTokenState.ROTATED);
        assertThat(RefreshTokenState.ACTIVE.revoke()).isEqualTo(RefreshTokenState.REVOKED);
        for (RefreshTokenState used : Set.of(RefreshTokenState.ROTATED, RefreshTokenState.REVOKED)) {
            assertThatThrownBy(used::rotate).as(used.wire()).isInstanceOf(IllegalStateException.class);
            assertThatThrownBy(used::revoke).as(used.wire()).isInstanceOf(IllegalStateException.class);
        }
    }

    @Test
    void aPersonHoldsAtLeastOneRoleAndNeverTheServiceRole() {
        User user = person();
        assertThat(user.withRoles(Set.of(PlatformRole.SUPPORT, PlatformRole.USER), T1)
                        .roles())
                .containsExactly(PlatformRole.USER, PlatformRole.SUPPORT);
        assertThatThrownBy(() -> user.withRoles(Set.of(), T1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> user.withRoles(Set.of(PlatformRole.USER, PlatformRole.SERVICE), T1))
                .isInstanceOf(IllegalArgumentException.class);
        // The API reads roles as assignable ones: "service" is refused with the accepted values named.
        assertThat(PlatformRole.of("service")).isEqualTo(PlatformRole.SERVICE);
        assertThatThrownBy(() -> PlatformRole.assignable("service"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Must be one of user, support, admin, superadmin.");
    }

    @Test
    void adminsAndSuperadminsArePrivileged() {
        assertThat(person().privileged()).isFalse();
        assertThat(person().withRoles(Set.of(PlatformRole.USER, PlatformRole.ADMIN), T1)
                        .privileged())
                .isTrue();
        assertThat(person().withRoles(Set.of(PlatformRole.SUPERADMIN), T1).privileged())
                .isTrue();
        assertThat(person().withRoles(Set.of(PlatformRole.SUPPORT), T1).privileged())
                .isFalse();
    }
}
