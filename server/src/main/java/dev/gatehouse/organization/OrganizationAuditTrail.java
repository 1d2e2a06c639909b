package dev.gatehouse.organization;

import dev.gatehouse.audit.AuditEntry;
import dev.gatehouse.audit.AuditLog;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Writes the organization module's events to the audit log through audit's API. Synchronous listeners
 * on purpose: each runs in the transaction that published the event, so the audit row commits with the
 * membership change or not at all (an {@code @ApplicationModuleListener} would write it after the commit,
 * in a transaction of its own). Every entry targets the organization; the member concerned is in the
 * details. The action names and details are the audit log's contract: they do not follow event renames.
 */
@Component
class OrganizationAuditTrail {

    private final AuditLog audit;

    OrganizationAuditTrail(AuditLog audit) {
        this.audit = audit;
    }

    private AuditEntry entry(java.util.UUID actorId, String action, java.util.UUID orgId) {
        return AuditEntry.by(actorId, action).target("organization", orgId);
    }

    @EventListener
    void on(OrganizationCreated e) {
        audit.record(entry(e.actorId(), "org.created", e.orgId())
                .detail("name", e.name())
                .detail("personal", e.personal()));
    }

    @EventListener
    void on(OrganizationRenamed e) {
        audit.record(entry(e.actorId(), "org.renamed", e.orgId())
                .detail("previous_name", e.previousName())
                .detail("name", e.name()));
    }

    @EventListener
    void on(OrganizationDeleted e) {
        audit.record(entry(e.actorId(), "org.deleted", e.orgId()));
    }

    @EventListener
    void on(MemberInvited e) {
        audit.record(entry(e.actorId(), "org.member_invited", e.orgId())
                .detail("invitation_id", e.invitationId().toString())
                .detail("email", e.email())
                .detail("role", e.role().wire()));
    }

    @EventListener
    void on(InvitationAccepted e) {
        audit.record(entry(e.actorId(), "org.invitation_accepted", e.orgId())
                .detail("invitation_id", e.invitationId().toString())
                .detail("user_id", e.targetUserId().toString())
                .detail("role", e.role().wire()));
    }

    @EventListener
    void on(InvitationRevoked e) {
        audit.record(entry(e.actorId(), "org.invitation_revoked", e.orgId())
                .detail("invitation_id", e.invitationId().toString())
                .detail("email", e.email()));
    }

    @EventListener
    void on(MemberRoleChanged e) {
        audit.record(entry(e.actorId(), "org.member_role_changed", e.orgId())
                .detail("user_id", e.targetUserId().toString())
                .detail("previous_role", e.previousRole().wire())
                .detail("role", e.role().wire()));
    }

    @EventListener
    void on(MemberRemoved e) {
        audit.record(entry(
                        e.actorId(),
                        e.actorId().equals(e.targetUserId()) ? "org.member_left" : "org.member_removed",
                        e.orgId())
                .detail("user_id", e.targetUserId().toString())
                .detail("role", e.role().wire()));
    }

    @EventListener
    void on(OwnershipTransferred e) {
        audit.record(entry(e.actorId(), "org.ownership_transferred", e.orgId())
                .detail("user_id", e.targetUserId().toString())
                .detail("previous_owner_role", e.actorRole().wire()));
    }
}
