package dev.gatehouse.identity;

import dev.gatehouse.audit.AuditEntry;
import dev.gatehouse.audit.AuditLog;
import dev.gatehouse.platform.PlatformRole;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Writes identity's events to the audit log through audit's API. Plain synchronous listeners on purpose:
 * each runs inside the transaction that published the event, so the audit row commits or rolls back with
 * the change (an {@code @ApplicationModuleListener} would run after commit, in a transaction of its own,
 * so a change could commit without its row, and the row would miss the change's place in the chain).
 * The action names and details are the audit log's public contract: they do not follow event renames.
 */
@Component
class IdentityAuditTrail {

    private final AuditLog audit;

    IdentityAuditTrail(AuditLog audit) {
        this.audit = audit;
    }

    @EventListener
    void on(SignInFailed e) {
        AuditEntry entry = e.userId() == null
                ? AuditEntry.system("auth.login_failed")
                : AuditEntry.by(e.userId(), "auth.login_failed").target("user", e.userId());
        audit.record(
                entry.detail("email", e.email()).detail("reason", e.reason().code()));
    }

    @EventListener
    void on(SignInLockedOut e) {
        audit.record(AuditEntry.system("auth.locked_out")
                .target("throttle_subject", e.subject())
                .detail("locked_until", e.lockedUntil().toString()));
    }

    @EventListener
    void on(ThrottleCleared e) {
        audit.record(AuditEntry.by(e.actorId(), "auth.lockout_cleared")
                .target("throttle_subject", e.subject())
                .detail("cleared", e.cleared()));
    }

    @EventListener
    void on(UserSuspended e) {
        audit.record(administered(e.actorId(), "user.suspended", e.userId(), null, e.sessionsRevoked()));
    }

    @EventListener
    void on(UserDeleted e) {
        audit.record(administered(e.actorId(), "user.deleted", e.userId(), null, e.sessionsRevoked()));
    }

    @EventListener
    void on(UserActivated e) {
        audit.record(administered(e.actorId(), "user.activated", e.userId(), null, 0));
    }

    @EventListener
    void on(UserSessionsRevoked e) {
        audit.record(administered(e.actorId(), "user.sessions_revoked", e.userId(), null, e.sessionsRevoked()));
    }

    @EventListener
    void on(UserRolesChanged e) {
        audit.record(administered(e.actorId(), "user.roles_changed", e.userId(), wire(e.roles()), e.sessionsRevoked()));
    }

    @EventListener
    void on(ImpersonationStarted e) {
        audit.record(administered(e.actorId(), "user.impersonation_started", e.userId(), null, 0));
    }

    private static Set<String> wire(Set<PlatformRole> roles) {
        return roles.stream().map(PlatformRole::wire).collect(java.util.stream.Collectors.toSet());
    }

    /** An admin's action on a user: the roles after a role change, and the sessions it ended, if any. */
    private static AuditEntry administered(
            UUID actorId, String action, UUID userId, @Nullable Set<String> roles, int sessionsRevoked) {
        Map<String, @Nullable Object> details = new LinkedHashMap<>();
        if (roles != null) details.put("roles", roles.stream().sorted().toList());
        if (sessionsRevoked > 0) details.put("sessions_revoked", sessionsRevoked);
        return AuditEntry.by(actorId, action).target("user", userId).withDetails(details);
    }

    @EventListener
    void on(UserRegistered e) {
        audit.record(AuditEntry.by(e.userId(), "user.registered").target("user", e.userId()));
    }

    @EventListener
    void on(SignedIn e) {
        audit.record(AuditEntry.by(e.userId(), "auth.login_succeeded")
                .target("user", e.userId())
                .detail("session_id", e.sessionId().toString())
                // The log says only whether a second factor was needed; auth.mfa_passed says which one.
                .detail("method", e.method() == ProofMethod.PASSWORD ? "password" : "mfa"));
    }

    @EventListener
    void on(MfaChallengePassed e) {
        audit.record(AuditEntry.by(e.userId(), "auth.mfa_passed")
                .target("user", e.userId())
                .detail("session_id", e.sessionId().toString())
                .detail("method", e.method().name().toLowerCase(java.util.Locale.ROOT)));
    }

    @EventListener
    void on(MfaChallengeFailed e) {
        audit.record(AuditEntry.by(e.userId(), "auth.mfa_failed")
                .target("user", e.userId())
                .detail("method", e.method().name().toLowerCase(java.util.Locale.ROOT))
                .detail("failed_attempts", e.failedAttempts())
                .detail("challenge_spent", e.challengeSpent()));
    }

    @EventListener
    void on(MfaEnabled e) {
        audit.record(AuditEntry.by(e.userId(), "mfa.enabled")
                .target("user", e.userId())
                .detail("re_enrolled", e.reEnrolled()));
    }

    @EventListener
    void on(MfaDisabled e) {
        audit.record(AuditEntry.by(e.userId(), "mfa.disabled").target("user", e.userId()));
    }

    @EventListener
    void on(RecoveryCodesRegenerated e) {
        audit.record(AuditEntry.by(e.userId(), "mfa.recovery_codes_regenerated").target("user", e.userId()));
    }

    @EventListener
    void on(StepUpPassed e) {
        audit.record(AuditEntry.by(e.userId(), "auth.step_up_passed")
                .target("user", e.userId())
                .detail("method", e.method().name().toLowerCase(java.util.Locale.ROOT)));
    }

    @EventListener
    void on(StepUpFailed e) {
        audit.record(AuditEntry.by(e.userId(), "auth.step_up_failed")
                .target("user", e.userId())
                .detail("method", e.method().name().toLowerCase(java.util.Locale.ROOT))
                .detail("failures", e.failures())
                .detail("session_revoked", e.sessionRevoked()));
    }

    @EventListener
    void on(EmailChanged e) {
        audit.record(AuditEntry.by(e.userId(), "user.email_changed")
                .target("user", e.userId())
                .detail("old_email", e.oldEmail())
                .detail("new_email", e.newEmail()));
    }

    @EventListener
    void on(PasswordChanged e) {
        audit.record(AuditEntry.by(e.userId(), e.reset() ? "user.password_reset" : "user.password_changed")
                .target("user", e.userId())
                .detail("sessions_revoked", e.sessionsRevoked()));
    }

    @EventListener
    void on(SignedOut e) {
        audit.record(AuditEntry.by(e.userId(), "auth.logout")
                .target("user", e.userId())
                .detail("session_id", e.sessionId().toString()));
    }

    @EventListener
    void on(RefreshTokenReused e) {
        audit.record(AuditEntry.by(e.userId(), "auth.refresh_token_reused")
                .target("user", e.userId())
                .detail("session_id", e.sessionId().toString()));
    }
}
