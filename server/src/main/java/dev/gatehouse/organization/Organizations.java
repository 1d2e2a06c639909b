package dev.gatehouse.organization;

import java.util.Optional;
import java.util.UUID;

/** What other modules may ask about organizations; deleted organizations do not exist here either. */
public interface Organizations {

    /** The user's role in the organization, empty when they are not a member or it does not exist. */
    Optional<OrgRole> roleOf(UUID orgId, UUID userId);

    /** Whether the organization exists and is not deleted. */
    boolean exists(UUID orgId);

    /** Whether the user is a member whose role has the permission ({@link OrgPermission}'s table). */
    boolean permits(UUID orgId, UUID userId, OrgPermission permission);
}
