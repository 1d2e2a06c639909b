package dev.gatehouse.identity;

import dev.gatehouse.platform.Caller;
import dev.gatehouse.platform.CallerAuthentication;
import dev.gatehouse.platform.IgnoresIdempotencyKey;
import dev.gatehouse.platform.Permission;
import dev.gatehouse.platform.PlatformRole;
import dev.gatehouse.platform.Problems;
import dev.gatehouse.platform.RequiresPermission;
import io.swagger.v3.oas.annotations.Operation;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** The signed-in user's own account: profile, email change, password, sessions. */
@RequiresPermission(Permission.SIGNED_IN)
@RestController
@RequestMapping(path = "/api/v1/me", produces = "application/json")
class MeController {

    private final LiveSessions liveSessions;
    private final Sessions sessions;
    private final Accounts accounts;
    private final StepUp stepUp;
    private final Clock clock;

    MeController(LiveSessions liveSessions, Sessions sessions, Accounts accounts, StepUp stepUp, Clock clock) {
        this.liveSessions = liveSessions;
        this.sessions = sessions;
        this.accounts = accounts;
        this.stepUp = stepUp;
        this.clock = clock;
    }

    record Me(
            UUID id,
            String email,
            boolean emailVerified,
            String name,
            String locale,
            Set<PlatformRole> roles,
            Instant createdAt,
            @Nullable UUID sessionId,
            boolean mfaEnabled) {
        static Me of(User u, @Nullable UUID sessionId) {
            return new Me(
                    u.id(),
                    u.email(),
                    u.verified(),
                    u.name(),
                    u.locale(),
                    u.roles(),
                    u.createdAt(),
                    sessionId,
                    u.mfaEnabled());
        }
    }

    @Operation(operationId = "getMe", summary = "The signed-in user")
    @GetMapping
    Me me() {
        Caller caller = CallerAuthentication.current();
        return Me.of(liveUser(caller), caller.sessionId());
    }

    record ProfilePatch(
            @Nullable @Size(min = 1, max = 200) @Pattern(regexp = ".*\\S.*", message = "must not be blank")
            String name,

            @Nullable @Size(min = 2, max = 35) String locale,

            @Nullable @Size(max = 254) String email) {}

    @Operation(
            operationId = "updateMe",
            summary = "Change name or locale, or start an email change",
            description = "A new email needs a recent step-up and changes only when the link mailed to the new"
                    + " address is used; the answer still shows the current address.")
    @PatchMapping(consumes = "application/json")
    Me update(@Valid @RequestBody ProfilePatch patch) {
        Caller caller = CallerAuthentication.current();
        User user = liveUser(caller);
        boolean newEmail =
                patch.email() != null && !EmailAddress.normalize(patch.email()).equals(user.email());
        // Before anything changes: the whole patch is refused without a recent proof.
        if (newEmail) stepUp.require(caller);
        // The address is checked (422 invalid_email, disposable_email) before the name or locale change.
        if (newEmail) accounts.requestEmailChange(caller.userId(), patch.email());
        return Me.of(accounts.updateProfile(caller.userId(), patch.name(), patch.locale()), caller.sessionId());
    }

    record PasswordChange(
            @NotNull @Size(max = 1024) String currentPassword,
            @NotNull @Size(max = 1024) String newPassword) {}

    @Operation(operationId = "changePassword", summary = "Change the password; every other session is ended")
    @PostMapping(path = "/password", consumes = "application/json")
    @IgnoresIdempotencyKey(IgnoresIdempotencyKey.Reason.CARRIES_CREDENTIALS)
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void changePassword(@Valid @RequestBody PasswordChange body) {
        Caller caller = CallerAuthentication.current();
        liveUser(caller);
        if (caller.actorId() != null) throw IdentityFailures.notUnderImpersonation();
        accounts.changePassword(caller.userId(), caller.sessionId(), body.currentPassword(), body.newPassword());
    }

    record SessionView(
            UUID id,
            @Nullable String userAgent,
            @Nullable String ip,
            Instant createdAt,
            Instant lastSeenAt,
            boolean current,
            @Nullable UUID impersonatedBy) {}

    record SessionList(List<SessionView> data) {}

    @Operation(operationId = "listMySessions", summary = "The user's live sessions, newest activity first")
    @GetMapping("/sessions")
    SessionList sessions() {
        Caller caller = CallerAuthentication.current();
        liveUser(caller);
        return new SessionList(sessions.liveOf(caller.userId(), clock.instant()).stream()
                .map(s -> new SessionView(
                        s.id(),
                        s.userAgent(),
                        s.ip(),
                        s.createdAt(),
                        s.lastSeenAt(),
                        s.id().equals(caller.sessionId()),
                        s.impersonatorId()))
                .toList());
    }

    @Operation(operationId = "revokeMySession", summary = "End one of the user's sessions")
    @DeleteMapping("/sessions/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void revoke(@PathVariable UUID id) {
        Caller caller = CallerAuthentication.current();
        liveUser(caller);
        if (!sessions.belongsTo(id, caller.userId())) throw Problems.notFound("Session");
        sessions.revoke(id, clock.instant(), RevokeReason.REVOKED_BY_USER);
    }

    record Revoked(int revoked) {}

    @Operation(operationId = "revokeMyOtherSessions", summary = "End every session except the current one")
    @DeleteMapping("/sessions")
    Revoked revokeOthers() {
        Caller caller = CallerAuthentication.current();
        liveUser(caller);
        return new Revoked(
                sessions.revokeAll(caller.userId(), caller.sessionId(), clock.instant(), RevokeReason.REVOKED_BY_USER));
    }

    /** Access tokens are stateless; these routes also insist the token's session is still live. */
    private User liveUser(Caller caller) {
        UUID sid = caller.sessionId();
        if (sid == null) throw IdentityFailures.sessionRevoked();
        return liveSessions.user(caller.userId(), sid, clock.instant()).orElseThrow(IdentityFailures::sessionRevoked);
    }
}
