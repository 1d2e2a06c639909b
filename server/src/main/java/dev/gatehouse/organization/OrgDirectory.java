package dev.gatehouse.organization;

import java.util.Optional;
import java.util.UUID;
import org.springframework.stereotype.Component;

/** The {@link Organizations} read API other modules use. */
@Component
class OrgDirectory implements Organizations {

    private final Orgs orgs;
    private final Memberships memberships;

    OrgDirectory(Orgs orgs, Memberships memberships) {
        this.orgs = orgs;
        this.memberships = memberships;
    }

    @Override
    public Optional<OrgRole> roleOf(UUID orgId, UUID userId) {
        return memberships.activeRole(orgId, userId);
    }

    @Override
    public boolean exists(UUID orgId) {
        return orgs.active(orgId).isPresent();
    }

    @Override
    public boolean permits(UUID orgId, UUID userId, OrgPermission permission) {
        return roleOf(orgId, userId).map(permission::permits).orElse(false);
    }
}
