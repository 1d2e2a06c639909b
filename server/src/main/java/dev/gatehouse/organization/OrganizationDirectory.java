package dev.gatehouse.organization;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/** What other modules may ask about organizations; deleted organizations do not exist here either. */
public interface OrganizationDirectory {

    /** The user's role in the organization, empty when they are not a member or it does not exist. */
    Optional<OrgRole> roleOf(UUID orgId, UUID userId);

    /** The organizations (not deleted) the user is a member of, in no particular order. */
    List<UUID> organizationsOf(UUID userId);

    /** Whether the organization exists and is not deleted. */
    boolean exists(UUID orgId);

    /** The organization's name, empty when it does not exist or is deleted. */
    Optional<String> name(UUID orgId);

    /**
     * The members of the organization whose role is one of {@code roles} (say, the owners and billing members
     * to email about usage), in the order they joined; empty for a deleted or unknown organization.
     */
    List<UUID> membersWithRole(UUID orgId, Set<OrgRole> roles);

    /**
     * The seats the organization fills: members plus open, unexpired invitations (what a plan's {@code seats}
     * limit counts); 0 for a deleted or unknown organization.
     */
    int seatsTaken(UUID orgId);

    /** Whether the user is a member whose role has the permission ({@link OrgPermission}'s table). */
    boolean permits(UUID orgId, UUID userId, OrgPermission permission);

    /**
     * The user's role in the organization, as {@link #roleOf}, holding the organization's row {@code FOR SHARE}
     * until the caller's transaction ends. Call it first in the transaction that creates something belonging
     * to the organization (an API key; later credits, a subscription): a deletion of the organization then
     * either committed before (empty: the organization is gone) or waits until the creation has committed,
     * and then sees, and ends, what was created. Without it a key could be created in the moment between a
     * deletion's revocation of the organization's keys and its commit, and outlive the organization.
     *
     * <p>Creations hold the row together (they do not wait for each other); only changes to the organization
     * itself (rename, delete, membership) wait for them. Its own invitations and memberships hold the row
     * {@code FOR UPDATE}, which covers this.
     *
     * @throws org.springframework.transaction.IllegalTransactionStateException outside a transaction, where
     *     the hold would end at once
     */
    Optional<OrgRole> hold(UUID orgId, UUID userId);
}
