package dev.gatehouse.apikey;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatehouse.identity.UserRegistered;
import dev.gatehouse.organization.OrganizationCreated;
import dev.gatehouse.organization.OrganizationDeleted;
import dev.gatehouse.platform.ApiException;
import dev.gatehouse.platform.Caller;
import dev.gatehouse.platform.PlatformRole;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.modulith.test.ApplicationModuleTest;
import org.springframework.modulith.test.ApplicationModuleTest.BootstrapMode;
import org.springframework.modulith.test.Scenario;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.TestPropertySource;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The apikey module's invariants, driven through its service and the organization events it reacts to rather
 * than over HTTP, on a real PostgreSQL (the embedded one, in a data directory of its own). {@code
 * ALL_DEPENDENCIES}: apikey uses organization, identity (step-up) and audit, and identity needs notification and
 * jobs. The cap is lowered to three keys so the test makes few.
 */
@ApplicationModuleTest(mode = BootstrapMode.ALL_DEPENDENCIES)
@ActiveProfiles("test")
@TestPropertySource(
        properties = {
            "gatehouse.embedded-db.data-dir=target/embedded-postgres-apikey-module",
            "gatehouse.api-keys.max-active-per-org=3"
        })
class ApiKeyModuleTest {

    private final OrgApiKeys orgKeys;
    private final ApiKeys keys;
    private final JdbcClient db;
    private final TransactionTemplate tx;
    private final ApplicationEventPublisher events;
    private final Clock clock;

    ApiKeyModuleTest(
            OrgApiKeys orgKeys,
            ApiKeys keys,
            JdbcClient db,
            TransactionTemplate tx,
            ApplicationEventPublisher events,
            Clock clock) {
        this.orgKeys = orgKeys;
        this.keys = keys;
        this.db = db;
        this.tx = tx;
        this.events = events;
        this.clock = clock;
    }

    /** The owner of a personal organization, calling from a session that proved itself just now. */
    record Owner(Caller caller, UUID orgId) {}

    private Owner owner(Scenario scenario) {
        UUID userId = UUID.randomUUID();
        UUID sessionId = UUID.randomUUID();
        Timestamp now = Timestamp.from(clock.instant());
        // Identity's rows as a sign-in leaves them: the account and a live session (step-up asks for one).
        db.sql("""
                        insert into users (id, email, password_hash, name, created_at, updated_at)
                        values (:id, :email, 'not-a-hash', 'Key Owner', :now, :now)
                        """)
                .param("id", userId)
                .param("email", userId + "@example.com")
                .param("now", now)
                .update();
        db.sql("""
                        insert into sessions (id, user_id, created_at, last_seen_at, expires_at)
                        values (:session, :id, :now, :now, :expires)
                        """)
                .param("session", sessionId)
                .param("id", userId)
                .param("now", now)
                .param("expires", Timestamp.from(clock.instant().plus(Duration.ofHours(1))))
                .update();
        // The organization comes the way it does for every account: organization reacts to the registration.
        AtomicReference<UUID> orgId = new AtomicReference<>();
        scenario.publish(new UserRegistered(userId, userId + "@example.com", "Key Owner", "en", null, clock.instant()))
                .andWaitForEventOfType(OrganizationCreated.class)
                .matching(created -> created.actorId().equals(userId))
                .toArriveAndVerify(created -> orgId.set(created.orgId()));
        return new Owner(new Caller(userId, sessionId, Set.of(PlatformRole.USER), null), orgId.get());
    }

    private ApiKey create(Owner owner, String name) {
        return orgKeys.create(owner.orgId(), owner.caller(), new KeyRequests.NewKey(name, null, null))
                .key();
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }

    @Test
    void anOrganizationHoldsAtMostItsCapOfActiveKeys(Scenario scenario) {
        Owner owner = owner(scenario);
        List<ApiKey> made = List.of(create(owner, "one"), create(owner, "two"), create(owner, "three"));

        assertThatThrownBy(() -> create(owner, "four"))
                .isInstanceOfSatisfying(
                        ApiException.class, e -> assertThat(e.code()).isEqualTo("api_key_limit_reached"));
        assertThat(keys.activeInOrg(owner.orgId(), now())).isEqualTo(3);

        // A revoked key frees its place.
        orgKeys.revoke(owner.orgId(), owner.caller(), made.getFirst().id());
        assertThat(create(owner, "four").revokedAt()).isNull();
        assertThat(keys.activeInOrg(owner.orgId(), now())).isEqualTo(3);
    }

    @Test
    void deletingAnOrganizationRevokesItsKeysInTheDeletingTransaction(Scenario scenario) {
        Owner owner = owner(scenario);
        UUID orgId = owner.orgId();
        UUID actorId = owner.caller().userId();
        List<UUID> ids =
                List.of(create(owner, "kept").id(), create(owner, "also kept").id());

        // A deletion that rolls back takes the revocations with it.
        tx.executeWithoutResult(status -> {
            events.publishEvent(new OrganizationDeleted(orgId, actorId, null, now()));
            assertThat(keys.activeInOrg(orgId, now()))
                    .as("revoked inside the transaction")
                    .isZero();
            status.setRollbackOnly();
        });
        assertThat(keys.activeInOrg(orgId, now())).as("after the rollback").isEqualTo(2);

        Instant deletedAt = now();
        scenario.publish(new OrganizationDeleted(orgId, actorId, null, deletedAt))
                .andWaitForStateChange(() -> keys.activeInOrg(orgId, now()), active -> active == 0)
                .andVerify(active -> assertThat(ids)
                        .allSatisfy(id -> assertThat(
                                        keys.inOrg(orgId, id, /* lock= */ false).orElseThrow())
                                .satisfies(key -> {
                                    assertThat(key.revokedAt()).isEqualTo(deletedAt);
                                    assertThat(key.revokedBy()).isEqualTo(actorId);
                                })));
    }
}
