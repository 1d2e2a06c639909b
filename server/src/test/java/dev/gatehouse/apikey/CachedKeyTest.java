package dev.gatehouse.apikey;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.apikey.ApiKey.Kind;
import dev.gatehouse.apikey.CachedKey.Status;
import dev.gatehouse.platform.PlatformRole;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** What a cached key is worth at a given moment: revocation wins, then expiry, then the end of a rotation overlap. */
class CachedKeyTest {

    private static final Instant NOW = Instant.parse("2026-11-22T12:00:00Z");

    private static ApiKeys.Match match(
            Kind kind, Instant expiresAt, boolean revoked, Instant previousValidUntil, boolean current) {
        return new ApiKeys.Match(
                UUID.randomUUID(),
                kind,
                kind == Kind.ORG ? UUID.randomUUID() : null,
                List.of("read"),
                expiresAt,
                revoked ? NOW.minusSeconds(60) : null,
                previousValidUntil,
                current,
                NOW.minusSeconds(30));
    }

    @Test
    void anOrgKeyCarriesItsReadyMadeAnswer() {
        ApiKeys.Match m = match(Kind.ORG, null, false, null, true);
        CachedKey k = CachedKey.of(m);
        assertThat(k.status(NOW)).isEqualTo(Status.ACTIVE);
        // Sent as a bearer, it acts for its organization with its scopes, nothing more.
        assertThat(k.caller()).hasValueSatisfying(c -> {
            assertThat(c.roles()).containsExactly(dev.gatehouse.platform.PlatformRole.ORG_KEY);
            assertThat(c.userId()).isEqualTo(m.id());
            assertThat(c.orgId()).isEqualTo(m.orgId());
            assertThat(c.scopes()).containsExactly("read");
        });
        assertThat(k.valid()).isNotNull();
        assertThat(k.valid().valid()).isTrue();
        assertThat(k.valid().orgId()).isEqualTo(m.orgId());
        assertThat(k.valid().scopes()).containsExactly("read");
        // The plan is not cached with the key: each verification asks the subscription module for it.
        assertThat(k.valid().plan()).isNull();
        assertThat(k.valid().withPlan("pro").plan()).isEqualTo("pro");
    }

    @Test
    void expiryIsJudgedAgainstTheMomentAsked() {
        CachedKey k = CachedKey.of(match(Kind.ORG, NOW.plusSeconds(10), false, null, true));
        assertThat(k.status(NOW)).isEqualTo(Status.ACTIVE);
        assertThat(k.status(NOW.plusSeconds(10))).isEqualTo(Status.EXPIRED);
        assertThat(CachedKey.of(match(Kind.ORG, NOW.minusSeconds(1), true, null, true))
                        .status(NOW))
                .isEqualTo(Status.REVOKED);
    }

    @Test
    void aServiceKeysPreviousSecretRetiresWhenItsOverlapEnds() {
        CachedKey previous = CachedKey.of(match(Kind.SERVICE, null, false, NOW.plusSeconds(60), false));
        assertThat(previous.status(NOW)).isEqualTo(Status.ACTIVE);
        assertThat(previous.status(NOW.plusSeconds(60))).isEqualTo(Status.RETIRED);
        // The current secret of the same rotated key is not bound by the overlap.
        CachedKey current = CachedKey.of(match(Kind.SERVICE, null, false, NOW.plusSeconds(60), true));
        assertThat(current.status(NOW.plusSeconds(3600))).isEqualTo(Status.ACTIVE);
        assertThat(current.caller()).hasValueSatisfying(c -> {
            assertThat(c.roles()).containsExactly(PlatformRole.SERVICE);
            assertThat(c.sessionId()).isNull();
        });
        assertThat(current.valid()).isNull();
    }
}
