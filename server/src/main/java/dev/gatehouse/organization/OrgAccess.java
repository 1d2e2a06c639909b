package dev.gatehouse.organization;

import java.util.UUID;
import org.springframework.stereotype.Component;

/**
 * Resolves the caller's standing in an organization. A caller who is not a member gets the same 404 as for
 * an organization that does not exist (or was deleted), so ids cannot be probed.
 */
@Component
class OrgAccess {

    private final Organizations orgs;
    private final Memberships memberships;

    OrgAccess(Organizations orgs, Memberships memberships) {
        this.orgs = orgs;
        this.memberships = memberships;
    }

    /** For reads: no lock. */
    Standing of(UUID orgId, UUID userId) {
        Org org = orgs.active(orgId).orElseThrow(OrgFailures::orgNotFound);
        return standing(org, userId);
    }

    /** For writes: locks the organization's row first (see {@link Organizations#lockActive}); call inside a transaction. */
    Standing locked(UUID orgId, UUID userId) {
        Org org = orgs.lockActive(orgId).orElseThrow(OrgFailures::orgNotFound);
        return standing(org, userId);
    }

    private Standing standing(Org org, UUID userId) {
        Member member = memberships.find(org.id(), userId).orElseThrow(OrgFailures::orgNotFound);
        return new Standing(org, member);
    }
}
