package dev.gatehouse.identity;

import dev.gatehouse.platform.Caller;
import dev.gatehouse.platform.Permission;
import dev.gatehouse.platform.PlatformRole;
import dev.gatehouse.platform.Problems;
import dev.gatehouse.platform.RequestIds;
import java.time.Clock;
import java.time.Instant;
import java.util.Set;
import java.util.UUID;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * What admins do to other users' accounts: suspend and activate, end sessions, change platform roles,
 * impersonate. Each change locks the user's row, so two admins acting at once apply one after another,
 * and publishes its event ({@link UserSuspended}, {@link UserActivated}, {@link UserSessionsRevoked},
 * {@link UserRolesChanged}, {@link ImpersonationStarted}) inside the transaction.
 */
@Service
class AdminUsers {

    record Impersonation(String accessToken, long expiresIn, UUID sessionId) {}

    private final Users users;
    private final Sessions sessions;
    private final AccessTokens accessTokens;
    private final AuthSettings settings;
    private final ApplicationEventPublisher events;
    private final Clock clock;

    AdminUsers(
            Users users,
            Sessions sessions,
            AccessTokens accessTokens,
            AuthSettings settings,
            ApplicationEventPublisher events,
            Clock clock) {
        this.users = users;
        this.sessions = sessions;
        this.accessTokens = accessTokens;
        this.settings = settings;
        this.events = events;
        this.clock = clock;
    }

    /**
     * Suspension blocks sign-in and refresh, and ends every session at once. Suspending a suspended account
     * changes nothing and answers the same, so admins acting at once (or a retried request) all succeed.
     */
    @Transactional
    User suspend(Caller admin, UUID userId) {
        User user = lockTarget(admin, userId, "suspend");
        Instant now = clock.instant();
        int ended = 0;
        if (user.active()) {
            users.updateStatus(user.suspend(now));
            ended = sessions.revokeAll(userId, null, now, RevokeReason.SUSPENDED);
        }
        events.publishEvent(new UserSuspended(admin.userId(), userId, ended, RequestIds.current(), now));
        return users.byId(user.id()).orElseThrow();
    }

    /** Lifts a suspension; activating an active account changes nothing and answers the same. */
    @Transactional
    User activate(Caller admin, UUID userId) {
        User user = lockTarget(admin, userId, "activate");
        Instant now = clock.instant();
        if (!user.active()) users.updateStatus(user.activate(now));
        events.publishEvent(new UserActivated(admin.userId(), userId, RequestIds.current(), now));
        return users.byId(user.id()).orElseThrow();
    }

    /**
     * Soft-deletes the account: sessions end, the email is freed for a new registration, the row stays for the
     * records that point at it (audit, memberships, ledger). Deleting a deleted account changes nothing and
     * answers the same.
     */
    @Transactional
    void delete(Caller admin, UUID userId) {
        if (admin.userId().equals(userId)) throw IdentityFailures.notOnYourself("delete");
        User user = users.lock(userId).orElseThrow(() -> Problems.notFound("User"));
        if (user.deleted()) return;
        if (user.roles().contains(PlatformRole.SUPERADMIN) && !admin.hasRole(PlatformRole.SUPERADMIN)) {
            throw IdentityFailures.superadminOnly("delete a superadmin");
        }
        Instant now = clock.instant();
        users.updateDeleted(user.delete(now));
        int ended = sessions.revokeAll(userId, null, now, RevokeReason.USER_DELETED);
        events.publishEvent(new UserDeleted(admin.userId(), userId, ended, RequestIds.current(), now));
    }

    @Transactional
    int revokeSessions(Caller admin, UUID userId) {
        lockTarget(admin, userId, "end the sessions of");
        Instant now = clock.instant();
        int ended = sessions.revokeAll(userId, null, now, RevokeReason.REVOKED_BY_ADMIN);
        events.publishEvent(new UserSessionsRevoked(admin.userId(), userId, ended, RequestIds.current(), now));
        return ended;
    }

    /** Only a holder of {@code roles.manage} (a superadmin) changes platform roles; nobody changes their own. */
    @Transactional
    User changeRoles(Caller admin, UUID userId, Set<PlatformRole> roles) {
        if (!Permission.ROLES_MANAGE.grantedTo(admin)) throw IdentityFailures.superadminOnly("change platform roles");
        if (admin.userId().equals(userId)) throw IdentityFailures.notOnYourself("change the roles of");
        User user = users.lock(userId).orElseThrow(() -> Problems.notFound("User"));
        if (user.deleted()) throw IdentityFailures.userDeleted();
        Instant now = clock.instant();
        User changed = user.withRoles(roles, now);
        users.updateRoles(changed);
        // Access tokens carry roles: end the sessions so the user signs in again with the new ones.
        int ended = sessions.revokeAll(userId, null, now, RevokeReason.ROLES_CHANGED);
        events.publishEvent(
                new UserRolesChanged(admin.userId(), userId, changed.roles(), ended, RequestIds.current(), now));
        return users.byId(userId).orElseThrow();
    }

    /**
     * A short-lived access token for {@code userId} with the admin in its {@code act} claim, in a session
     * of its own marked with the admin (the user sees it among their sessions). Admins and superadmins
     * cannot be impersonated: impersonation must never be a way to gain privileges.
     */
    @Transactional
    Impersonation impersonate(Caller admin, UUID userId, SignIn.Device device) {
        if (admin.actorId() != null)
            throw IdentityFailures.cannotImpersonate("An impersonation token cannot start another.");
        if (admin.userId().equals(userId)) throw IdentityFailures.notOnYourself("impersonate");
        User user = users.lock(userId).orElseThrow(() -> Problems.notFound("User"));
        if (user.deleted()) throw IdentityFailures.userDeleted();
        if (user.privileged()) {
            throw IdentityFailures.cannotImpersonate("Admins and superadmins cannot be impersonated.");
        }
        if (!user.active()) throw IdentityFailures.userNotActive();
        Instant now = clock.instant();
        UUID sessionId = UUID.randomUUID();
        sessions.create(new Sessions.Session(
                sessionId,
                userId,
                SignIn.truncate(device.userAgent(), 512),
                device.ip(),
                now,
                now,
                now.plus(settings.impersonationTtl()),
                null,
                admin.userId()));
        String token = accessTokens.issue(userId, sessionId, user.roles(), admin.userId(), settings.impersonationTtl());
        events.publishEvent(new ImpersonationStarted(admin.userId(), userId, sessionId, RequestIds.current(), now));
        return new Impersonation(token, settings.impersonationTtl().toSeconds(), sessionId);
    }

    /** Locks the target; only a superadmin acts on another superadmin, and nobody on themselves. */
    private User lockTarget(Caller admin, UUID userId, String what) {
        if (admin.userId().equals(userId)) throw IdentityFailures.notOnYourself(what);
        User user = users.lock(userId).orElseThrow(() -> Problems.notFound("User"));
        if (user.deleted()) throw IdentityFailures.userDeleted();
        if (user.roles().contains(PlatformRole.SUPERADMIN) && !admin.hasRole(PlatformRole.SUPERADMIN)) {
            throw IdentityFailures.superadminOnly(what + " a superadmin");
        }
        return user;
    }
}
