package dev.gatehouse.organization;

import static dev.gatehouse.organization.OrgPermission.MEMBERS_CHANGE_ROLE;
import static dev.gatehouse.organization.OrgPermission.MEMBERS_LEAVE;
import static dev.gatehouse.organization.OrgPermission.MEMBERS_MANAGE_OWNERS;
import static dev.gatehouse.organization.OrgPermission.MEMBERS_READ;
import static dev.gatehouse.organization.OrgPermission.MEMBERS_REMOVE;
import static dev.gatehouse.organization.OrgPermission.ORG_DELETE;
import static dev.gatehouse.organization.OrgPermission.ORG_READ;
import static dev.gatehouse.organization.OrgPermission.ORG_UPDATE;
import static dev.gatehouse.organization.OrgPermission.OWNERSHIP_TRANSFER;

import dev.gatehouse.platform.Page;
import dev.gatehouse.platform.PageCursor;
import dev.gatehouse.platform.RequestIds;
import java.time.Clock;
import java.time.Instant;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;

/**
 * Organizations and their members: create, rename, delete, change roles, remove, leave, transfer ownership.
 *
 * <p>Every write locks the organization's row first ({@link OrgAccess#locked}), then checks the caller's
 * permission, then the rule the change must keep, then writes and publishes its event, all in one
 * transaction. The lock makes the checks exact under concurrency; the database's owner trigger is the
 * backstop behind them.
 */
@Service
class OrgManagement {

    private final Organizations orgs;
    private final Memberships memberships;
    private final Invitations invitations;
    private final OrgAccess access;
    private final OrgTransactions tx;
    private final ApplicationEventPublisher events;
    private final Clock clock;

    OrgManagement(
            Organizations orgs,
            Memberships memberships,
            Invitations invitations,
            OrgAccess access,
            OrgTransactions tx,
            ApplicationEventPublisher events,
            Clock clock) {
        this.orgs = orgs;
        this.memberships = memberships;
        this.invitations = invitations;
        this.access = access;
        this.tx = tx;
        this.events = events;
        this.clock = clock;
    }

    Page<Organizations.Joined> pageOf(UUID userId, @Nullable PageCursor after, int limit) {
        return orgs.pageOf(userId, after, limit);
    }

    Standing get(UUID orgId, UUID userId) {
        return access.of(orgId, userId).require(ORG_READ);
    }

    Standing create(UUID userId, String name) {
        return tx.write(() -> found(userId, name, /* personal= */ false, clock.instant()));
    }

    /**
     * The personal organization of a new user. No transaction of its own: it runs inside the one that
     * creates the account (see {@link PersonalOrganizations}).
     */
    void createPersonal(UUID userId, String name, Instant at) {
        found(userId, name, /* personal= */ true, at);
    }

    private Standing found(UUID userId, String name, boolean personal, Instant now) {
        Org org = new Org(UUID.randomUUID(), name, personal, userId, now, now);
        orgs.insert(org);
        Member owner = new Member(org.id(), userId, OrgRole.OWNER, now);
        memberships.insert(owner);
        events.publishEvent(new OrganizationCreated(org.id(), userId, name, personal, RequestIds.current(), now));
        return new Standing(org, owner);
    }

    Standing rename(UUID orgId, UUID userId, String name) {
        return tx.write(() -> {
            Standing s = access.locked(orgId, userId).require(ORG_UPDATE);
            if (s.org().name().equals(name)) return s;
            Instant now = clock.instant();
            orgs.rename(orgId, name, now);
            events.publishEvent(
                    new OrganizationRenamed(orgId, userId, s.org().name(), name, RequestIds.current(), now));
            Org org = s.org();
            return new Standing(
                    new Org(org.id(), name, org.personal(), org.createdBy(), org.createdAt(), now), s.member());
        });
    }

    /**
     * Soft-deletes the organization and revokes its open invitations. A personal organization is not
     * deleted on its own: like GitHub's personal account, it goes with the user's account.
     */
    void delete(UUID orgId, UUID userId) {
        tx.write(() -> {
            Standing s = access.locked(orgId, userId).require(ORG_DELETE);
            if (s.org().personal()) throw OrgFailures.personalOrganization("it is deleted only with the account");
            Instant now = clock.instant();
            for (Invitation open : invitations.revokeAllOpen(orgId, userId, now)) {
                events.publishEvent(new InvitationRevoked(
                        orgId, userId, open.id(), open.email(), open.role(), RequestIds.current(), now));
            }
            orgs.softDelete(orgId, now);
            events.publishEvent(new OrganizationDeleted(orgId, userId, RequestIds.current(), now));
            return s;
        });
    }

    /**
     * The personal organization of a deleted user goes with the account (its keys revoked and its subscription
     * ended by their modules' listeners on {@link OrganizationDeleted}). No transaction of its own: it runs inside
     * the deletion's (see {@link PersonalOrganizations}).
     */
    void deletePersonalOf(UUID userId, UUID actorId, Instant at) {
        orgs.lockPersonalOf(userId).ifPresent(org -> {
            orgs.softDelete(org.id(), at);
            events.publishEvent(new OrganizationDeleted(org.id(), actorId, RequestIds.current(), at));
        });
    }

    Page<Member> members(UUID orgId, UUID userId, @Nullable PageCursor after, int limit) {
        access.of(orgId, userId).require(MEMBERS_READ);
        return memberships.page(orgId, after, limit);
    }

    /**
     * Changes a member's role. Touching the owner role, on either side of the change, takes
     * {@code members.manage_owners}; taking it from the last owner is refused.
     */
    Member changeRole(UUID orgId, UUID actorId, UUID targetId, OrgRole role) {
        return tx.write(() -> {
            Standing s = access.locked(orgId, actorId).require(MEMBERS_CHANGE_ROLE);
            Member target = memberships.find(orgId, targetId).orElseThrow(OrgFailures::memberNotFound);
            if (target.owner() || role == OrgRole.OWNER) s.require(MEMBERS_MANAGE_OWNERS);
            if (target.role() == role) return target;
            if (s.org().personal() && role == OrgRole.OWNER) {
                throw OrgFailures.personalOrganization("it has exactly one owner");
            }
            if (target.owner() && memberships.owners(orgId) == 1) throw OrgFailures.lastOwner();
            Instant now = clock.instant();
            memberships.changeRole(orgId, targetId, role, now);
            events.publishEvent(
                    new MemberRoleChanged(orgId, actorId, targetId, target.role(), role, RequestIds.current(), now));
            return new Member(orgId, targetId, role, target.joinedAt());
        });
    }

    /** Removes a member; a member removing themselves is leaving, which any role may do. */
    void remove(UUID orgId, UUID actorId, UUID targetId) {
        tx.write(() -> {
            Standing s = access.locked(orgId, actorId);
            boolean leaving = actorId.equals(targetId);
            s.require(leaving ? MEMBERS_LEAVE : MEMBERS_REMOVE);
            Member target =
                    leaving ? s.member() : memberships.find(orgId, targetId).orElseThrow(OrgFailures::memberNotFound);
            if (!leaving && target.owner()) s.require(MEMBERS_MANAGE_OWNERS);
            if (target.owner() && memberships.owners(orgId) == 1) throw OrgFailures.lastOwner();
            memberships.delete(orgId, targetId);
            events.publishEvent(
                    new MemberRemoved(orgId, actorId, targetId, target.role(), RequestIds.current(), clock.instant()));
            return target;
        });
    }

    /** The target member becomes owner and the caller, who was owner, becomes admin. */
    Standing transfer(UUID orgId, UUID actorId, UUID targetId) {
        return tx.write(() -> {
            Standing s = access.locked(orgId, actorId).require(OWNERSHIP_TRANSFER);
            if (s.org().personal()) throw OrgFailures.personalOrganization("its ownership cannot be transferred");
            if (actorId.equals(targetId)) throw OrgFailures.transferToSelf();
            Member target = memberships.find(orgId, targetId).orElseThrow(OrgFailures::notAMember);
            Instant now = clock.instant();
            // The new owner first, so the organization is never without one, even inside the transaction.
            memberships.changeRole(orgId, targetId, OrgRole.OWNER, now);
            memberships.changeRole(orgId, actorId, OrgRole.ADMIN, now);
            events.publishEvent(new OwnershipTransferred(
                    orgId, actorId, targetId, target.role(), OrgRole.ADMIN, RequestIds.current(), now));
            return new Standing(
                    s.org(),
                    new Member(orgId, actorId, OrgRole.ADMIN, s.member().joinedAt()));
        });
    }
}
