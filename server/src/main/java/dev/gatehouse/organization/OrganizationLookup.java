package dev.gatehouse.organization;

import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/** The {@link OrganizationDirectory} API other modules use. */
@Component
class OrganizationLookup implements OrganizationDirectory {

    private final Organizations orgs;
    private final Memberships memberships;
    private final Invitations invitations;
    private final Clock clock;

    OrganizationLookup(Organizations orgs, Memberships memberships, Invitations invitations, Clock clock) {
        this.orgs = orgs;
        this.memberships = memberships;
        this.invitations = invitations;
        this.clock = clock;
    }

    @Override
    public List<UUID> organizationsOf(UUID userId) {
        return memberships.activeOrganizationsOf(userId);
    }

    @Override
    public Optional<OrgRole> roleOf(UUID orgId, UUID userId) {
        return memberships.activeRole(orgId, userId);
    }

    @Override
    @Transactional(propagation = Propagation.MANDATORY)
    public Optional<OrgRole> hold(UUID orgId, UUID userId) {
        return memberships.activeRoleHoldingOrg(orgId, userId);
    }

    @Override
    public boolean exists(UUID orgId) {
        return orgs.active(orgId).isPresent();
    }

    @Override
    public Optional<String> name(UUID orgId) {
        return orgs.active(orgId).map(Org::name);
    }

    @Override
    public int seatsTaken(UUID orgId) {
        if (orgs.active(orgId).isEmpty()) return 0;
        return memberships.count(orgId) + invitations.pending(orgId, clock.instant());
    }

    @Override
    public List<UUID> membersWithRole(UUID orgId, Set<OrgRole> roles) {
        return memberships.withRole(orgId, roles);
    }

    @Override
    public boolean permits(UUID orgId, UUID userId, OrgPermission permission) {
        return roleOf(orgId, userId).map(permission::permits).orElse(false);
    }
}
