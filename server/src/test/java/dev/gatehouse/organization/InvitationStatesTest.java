package dev.gatehouse.organization;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.gatehouse.platform.ApiException;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** An invitation's transitions, on plain objects: pending ones are accepted, open ones revoked, nothing else. */
class InvitationStatesTest {

    static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    static final Instant EXPIRY = T0.plus(Duration.ofDays(7));

    private static Invitation pending() {
        return new Invitation(
                UUID.randomUUID(),
                UUID.randomUUID(),
                "a@example.com",
                OrgRole.MEMBER,
                UUID.randomUUID(),
                T0,
                EXPIRY,
                null,
                null);
    }

    private static String refusal(Executable change) {
        return catchThrowableOfType(ApiException.class, change::execute).code();
    }

    @Test
    void onlyAPendingInvitationIsAcceptedAndTheRefusalSaysWhatHappenedToIt() {
        Invitation accepted = pending().accept(T0.plusSeconds(1));
        assertThat(accepted.status(T0.plusSeconds(2))).isEqualTo(Invitation.Status.ACCEPTED);
        assertThat(accepted.open()).isFalse();

        assertThat(refusal(() -> accepted.accept(T0.plusSeconds(2)))).isEqualTo("invitation_used");
        Invitation revoked = pending().revoke(T0.plusSeconds(1));
        assertThat(refusal(() -> revoked.accept(T0.plusSeconds(2)))).isEqualTo("invitation_revoked");
        assertThat(pending().status(EXPIRY)).isEqualTo(Invitation.Status.EXPIRED);
        assertThat(refusal(() -> pending().accept(EXPIRY))).isEqualTo("invitation_expired");
    }

    @Test
    void anOpenInvitationIsRevokedEvenWhenExpiredButNotOnceAcceptedOrRevoked() {
        Invitation revoked = pending().revoke(EXPIRY.plusSeconds(1));
        assertThat(revoked.status(EXPIRY)).isEqualTo(Invitation.Status.REVOKED);
        assertThat(refusal(() -> revoked.revoke(EXPIRY))).isEqualTo("invitation_not_pending");
        Invitation accepted = pending().accept(T0);
        assertThat(refusal(() -> accepted.revoke(T0))).isEqualTo("invitation_not_pending");
    }
}
