package dev.gatehouse.organization;

import java.time.Instant;
import java.util.UUID;

/** One user's membership of one organization. */
record Member(UUID orgId, UUID userId, OrgRole role, Instant joinedAt) {

    boolean owner() {
        return role == OrgRole.OWNER;
    }
}
