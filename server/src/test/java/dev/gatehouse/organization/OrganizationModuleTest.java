package dev.gatehouse.organization;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatehouse.identity.UserRegistered;
import dev.gatehouse.platform.ApiException;
import java.time.Clock;
import java.util.UUID;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.Test;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.modulith.test.ApplicationModuleTest;
import org.springframework.modulith.test.ApplicationModuleTest.BootstrapMode;
import org.springframework.modulith.test.AssertablePublishedEvents;
import org.springframework.modulith.test.Scenario;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.TestPropertySource;
import org.springframework.transaction.support.TransactionOperations;

/**
 * The organization module's invariants, driven through its services and the identity event it reacts to rather
 * than over HTTP, on a real PostgreSQL (the embedded one, in a data directory of its own so it never meets the
 * end-to-end tests' server). {@code ALL_DEPENDENCIES}: organization needs identity's beans, and identity needs
 * notification and jobs; audit comes along, platform is shared. Only apikey is left out.
 */
@ApplicationModuleTest(mode = BootstrapMode.ALL_DEPENDENCIES)
@ActiveProfiles("test")
@TestPropertySource(properties = "gatehouse.embedded-db.data-dir=target/embedded-postgres-organization-module")
class OrganizationModuleTest {

    private final OrgManagement management;
    private final OrgInvitations invitations;
    private final Memberships memberships;
    private final OrgTransactions transactions;
    private final OrganizationDirectory organizations;
    private final Clock clock;

    OrganizationModuleTest(
            OrgManagement management,
            OrgInvitations invitations,
            Memberships memberships,
            OrgTransactions transactions,
            OrganizationDirectory organizations,
            Clock clock) {
        this.management = management;
        this.invitations = invitations;
        this.memberships = memberships;
        this.transactions = transactions;
        this.organizations = organizations;
        this.clock = clock;
    }

    private UserRegistered registered(UUID userId, String name) {
        return new UserRegistered(userId, userId + "@example.com", name, "en", null, clock.instant());
    }

    @Test
    void aNewAccountGetsAPersonalOrganizationWithItAsTheOnlyOwner(Scenario scenario) {
        UUID userId = UUID.randomUUID();
        scenario.publish(registered(userId, "Ada"))
                .andWaitForEventOfType(OrganizationCreated.class)
                .matching(created -> created.actorId().equals(userId))
                .toArriveAndVerify(created -> {
                    assertThat(created.personal()).isTrue();
                    assertThat(created.name()).isEqualTo("Ada");
                    assertThat(organizations.roleOf(created.orgId(), userId)).contains(OrgRole.OWNER);
                });
    }

    @Test
    void thePersonalOrganizationRollsBackWithTheRegistration(Scenario scenario) {
        UUID userId = UUID.randomUUID();
        BiConsumer<TransactionOperations, ApplicationEventPublisher> registrationThatFails =
                (tx, events) -> tx.executeWithoutResult(status -> {
                    events.publishEvent(registered(userId, "Rolled Back"));
                    status.setRollbackOnly();
                });
        scenario.stimulate(registrationThatFails)
                .andWaitForEventOfType(OrganizationCreated.class)
                .matching(created -> created.actorId().equals(userId))
                // Made in the registration's transaction, so it went with it.
                .toArriveAndVerify(created ->
                        assertThat(organizations.exists(created.orgId())).isFalse());
    }

    @Test
    void theLastOwnerCanNeitherLeaveNorBeDemoted(AssertablePublishedEvents events) {
        UUID owner = UUID.randomUUID();
        UUID orgId = management.create(owner, "Solo").org().id();

        assertThatThrownBy(() -> management.remove(orgId, owner, owner))
                .isInstanceOfSatisfying(
                        ApiException.class, e -> assertThat(e.code()).isEqualTo("last_owner"));
        assertThatThrownBy(() -> management.changeRole(orgId, owner, owner, OrgRole.ADMIN))
                .isInstanceOfSatisfying(
                        ApiException.class, e -> assertThat(e.code()).isEqualTo("last_owner"));

        assertThat(organizations.roleOf(orgId, owner)).contains(OrgRole.OWNER);
        assertThat(events.ofType(MemberRemoved.class).matching(MemberRemoved::orgId, orgId::equals))
                .isEmpty();
        assertThat(events.ofType(MemberRoleChanged.class).matching(MemberRoleChanged::orgId, orgId::equals))
                .isEmpty();
    }

    @Test
    void aWriteThatSkipsTheLastOwnerCheckIsStoppedByTheDatabase() {
        UUID owner = UUID.randomUUID();
        UUID orgId = management.create(owner, "Backstop").org().id();

        // As a bug would: delete the only owner without asking. The deferred trigger refuses the commit,
        // and the module reports it as the rule it is, not as a server error.
        assertThatThrownBy(() -> transactions.write(() -> {
                    memberships.delete(orgId, owner);
                    return orgId;
                }))
                .isInstanceOfSatisfying(
                        ApiException.class, e -> assertThat(e.code()).isEqualTo("last_owner"));
        assertThat(organizations.roleOf(orgId, owner)).contains(OrgRole.OWNER);
    }

    @Test
    void deletingAnOrganizationRevokesItsOpenInvitationsWithIt(AssertablePublishedEvents events) {
        UUID owner = UUID.randomUUID();
        UUID orgId = management.create(owner, "Short-lived").org().id();
        Invitation invitation = invitations.invite(orgId, owner, "invitee-" + owner + "@example.com", OrgRole.MEMBER);

        management.delete(orgId, owner);

        assertThat(organizations.exists(orgId)).isFalse();
        assertThat(organizations.roleOf(orgId, owner)).isEmpty();
        assertThat(events)
                .contains(InvitationRevoked.class)
                .matching(revoked -> revoked.invitationId().equals(invitation.id()))
                .matching(revoked -> revoked.actorId().equals(owner))
                .and()
                .contains(OrganizationDeleted.class)
                .matching(deleted -> deleted.orgId().equals(orgId));
    }
}
