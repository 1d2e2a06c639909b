package dev.gatehouse.identity;

import dev.gatehouse.platform.CallerAuthentication;
import dev.gatehouse.platform.IgnoresIdempotencyKey;
import dev.gatehouse.platform.Page;
import dev.gatehouse.platform.PageCursor;
import dev.gatehouse.platform.Permission;
import dev.gatehouse.platform.PlatformRole;
import dev.gatehouse.platform.Problems;
import dev.gatehouse.platform.RequiresPermission;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** Admin routes on user accounts: search, detail, suspend/activate, sessions, roles, impersonation. */
@RestController
@RequestMapping(path = "/api/v1/admin/users", produces = "application/json")
class AdminUsersController {

    private final Users users;
    private final Sessions sessions;
    private final AdminUsers admin;
    private final Clock clock;

    AdminUsersController(Users users, Sessions sessions, AdminUsers admin, Clock clock) {
        this.users = users;
        this.sessions = sessions;
        this.admin = admin;
        this.clock = clock;
    }

    record UserView(
            UUID id,
            String email,
            boolean emailVerified,
            String name,
            String locale,
            Set<PlatformRole> roles,
            UserStatus status,
            Instant createdAt,
            Instant updatedAt) {
        static UserView of(User u) {
            return new UserView(
                    u.id(),
                    u.email(),
                    u.verified(),
                    u.name(),
                    u.locale(),
                    u.roles(),
                    u.status(),
                    u.createdAt(),
                    u.updatedAt());
        }
    }

    record UserPage(List<UserView> data, @Nullable String nextCursor) {}

    @Operation(operationId = "searchUsers", summary = "Search users, newest first (cursor pagination)")
    @GetMapping
    @RequiresPermission(Permission.USERS_READ)
    UserPage search(
            @RequestParam(required = false) @Size(max = 254) String email,
            @RequestParam(required = false) @Nullable UserStatus status,
            @RequestParam(required = false) @Nullable PlatformRole role,
            @RequestParam(defaultValue = "50") @Min(1) @Max(200) int limit,
            @RequestParam(required = false) @Size(max = 200) String cursor) {
        PageCursor after = cursor == null ? null : PageCursor.decode(cursor);
        Page<User> page = users.search(
                email == null ? null : email.trim().toLowerCase(java.util.Locale.ROOT), status, role, after, limit);
        return new UserPage(page.items().stream().map(UserView::of).toList(), page.nextCursor());
    }

    @Schema(name = "UserSessionView") // MeController has a SessionView of its own
    record SessionView(
            UUID id,
            @Nullable String userAgent,
            @Nullable String ip,
            Instant createdAt,
            Instant lastSeenAt,
            Instant expiresAt,
            @Nullable UUID impersonatedBy) {}

    record UserDetail(UserView user, List<SessionView> sessions) {}

    @Operation(operationId = "getUser", summary = "One user with their live sessions")
    @GetMapping("/{id}")
    @RequiresPermission(Permission.USERS_READ)
    UserDetail detail(@PathVariable UUID id) {
        User user = users.byId(id).orElseThrow(() -> Problems.notFound("User"));
        return new UserDetail(
                UserView.of(user),
                sessions.liveOf(id, clock.instant()).stream()
                        .map(s -> new SessionView(
                                s.id(),
                                s.userAgent(),
                                s.ip(),
                                s.createdAt(),
                                s.lastSeenAt(),
                                s.expiresAt(),
                                s.impersonatorId()))
                        .toList());
    }

    @Operation(operationId = "suspendUser", summary = "Suspend: sign-in and refresh are refused and every session ends")
    @PostMapping("/{id}/suspend")
    @RequiresPermission(Permission.USERS_MANAGE)
    UserView suspend(@PathVariable UUID id) {
        return UserView.of(admin.suspend(CallerAuthentication.current(), id));
    }

    @Operation(operationId = "activateUser", summary = "Lift a suspension")
    @PostMapping("/{id}/activate")
    @RequiresPermission(Permission.USERS_MANAGE)
    UserView activate(@PathVariable UUID id) {
        return UserView.of(admin.activate(CallerAuthentication.current(), id));
    }

    @Operation(
            operationId = "deleteUser",
            summary = "Soft-delete a user: sessions end, the email is freed, the row is kept (audited)",
            description = "Their personal organization is deleted with them (its keys revoked, its subscription"
                    + " ended). Deleting a deleted user answers 204 again; other admin actions on a deleted user are"
                    + " 409 user_deleted.")
    @DeleteMapping("/{id}")
    @RequiresPermission(Permission.USERS_MANAGE)
    @ResponseStatus(org.springframework.http.HttpStatus.NO_CONTENT)
    void delete(@PathVariable UUID id) {
        admin.delete(CallerAuthentication.current(), id);
    }

    @Schema(name = "UserSessionsRevoked") // MeController has a Revoked of its own
    record Revoked(int revoked) {}

    @Operation(operationId = "revokeUserSessions", summary = "End every session of the user")
    @PostMapping("/{id}/sessions/revoke")
    @RequiresPermission(Permission.USERS_MANAGE)
    Revoked revokeSessions(@PathVariable UUID id) {
        return new Revoked(admin.revokeSessions(CallerAuthentication.current(), id));
    }

    /** The roles to hold; a role a person cannot hold ({@code service}) is refused as the field's error. */
    record RolesChange(@NotNull @NotEmpty @Size(max = 4) List<@NotNull PlatformRole> roles) {}

    @Operation(
            operationId = "changeUserRoles",
            summary = "Replace the user's platform roles (superadmin); their sessions end")
    @PutMapping(path = "/{id}/roles", consumes = "application/json")
    @RequiresPermission(Permission.ROLES_MANAGE)
    UserView changeRoles(@PathVariable UUID id, @Valid @RequestBody RolesChange body) {
        return UserView.of(admin.changeRoles(CallerAuthentication.current(), id, Set.copyOf(body.roles())));
    }

    record ImpersonationToken(
            String accessToken, String tokenType, long expiresIn, UUID impersonatedUserId, UUID sessionId) {}

    @Operation(
            operationId = "impersonateUser",
            summary = "A short-lived token acting as the user (RFC 8693 act claim names the admin)")
    @PostMapping("/{id}/impersonate")
    @RequiresPermission(Permission.USERS_IMPERSONATE)
    @IgnoresIdempotencyKey(IgnoresIdempotencyKey.Reason.CARRIES_CREDENTIALS)
    ImpersonationToken impersonate(@PathVariable UUID id, HttpServletRequest request) {
        AdminUsers.Impersonation i =
                admin.impersonate(CallerAuthentication.current(), id, AuthController.device(request));
        return new ImpersonationToken(i.accessToken(), "Bearer", i.expiresIn(), id, i.sessionId());
    }
}
