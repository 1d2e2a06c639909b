package dev.gatehouse.organization;

import static dev.gatehouse.organization.OrgController.caller;

import dev.gatehouse.identity.UserDirectory;
import dev.gatehouse.identity.UserSummary;
import dev.gatehouse.platform.Page;
import dev.gatehouse.platform.PageCursor;
import dev.gatehouse.platform.Permission;
import dev.gatehouse.platform.RequiresPermission;
import io.swagger.v3.oas.annotations.Operation;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** An organization's members: list, invite by email, change roles, remove (or leave). */
@RequiresPermission(Permission.SIGNED_IN)
@RestController
@RequestMapping(path = "/api/v1/orgs/{org}/members", produces = "application/json")
class MemberController {

    private final OrgManagement management;
    private final OrgInvitations invitations;
    private final UserDirectory users;

    MemberController(OrgManagement management, OrgInvitations invitations, UserDirectory users) {
        this.management = management;
        this.invitations = invitations;
        this.users = users;
    }

    /** A member; email and name are left out if the account no longer exists. */
    record MemberView(
            UUID userId, @Nullable String email, @Nullable String name, OrgRole role, Instant joinedAt) {
        static MemberView of(Member m, @Nullable UserSummary user) {
            return new MemberView(
                    m.userId(),
                    user == null ? null : user.email(),
                    user == null ? null : user.name(),
                    m.role(),
                    m.joinedAt());
        }
    }

    record MemberPage(List<MemberView> data, @Nullable String nextCursor) {}

    @Operation(operationId = "listMembers", summary = "The organization's members, in the order they joined")
    @GetMapping
    MemberPage list(
            @PathVariable UUID org,
            @RequestParam(defaultValue = "50") @Min(1) @Max(200) int limit,
            @RequestParam(required = false) @Nullable String cursor) {
        PageCursor after = cursor == null ? null : PageCursor.decode(cursor);
        Page<Member> page = management.members(org, caller(), after, limit);
        Map<UUID, UserSummary> people = users
                .byIds(page.items().stream().map(Member::userId).toList())
                .stream()
                .collect(Collectors.toMap(UserSummary::id, Function.identity()));
        return new MemberPage(
                page.items().stream()
                        .map(m -> MemberView.of(m, people.get(m.userId())))
                        .toList(),
                page.nextCursor());
    }

    record Invite(
            @NotNull @Size(max = 254) String email, @NotNull OrgRole role) {}

    @Operation(
            operationId = "inviteMember",
            summary = "Invite by email (members.invite; as owner also members.manage_owners)",
            description = "Emails a single-use link valid for 7 days; the address need not have an account yet."
                    + " An open invitation to the same address is replaced.")
    @PostMapping(consumes = "application/json")
    @ResponseStatus(HttpStatus.CREATED)
    InvitationController.InvitationView invite(@PathVariable UUID org, @Valid @RequestBody Invite body) {
        Invitation invitation = invitations.invite(org, caller(), body.email(), body.role());
        return InvitationController.InvitationView.of(invitation, invitation.createdAt());
    }

    record RoleChange(@NotNull OrgRole role) {}

    @Operation(
            operationId = "changeMemberRole",
            summary = "Change a member's role (members.change_role; the owner role also needs members.manage_owners)")
    @PatchMapping(path = "/{user}", consumes = "application/json")
    MemberView changeRole(@PathVariable UUID org, @PathVariable UUID user, @Valid @RequestBody RoleChange body) {
        Member member = management.changeRole(org, caller(), user, body.role());
        return MemberView.of(member, users.byId(user).orElse(null));
    }

    @Operation(
            operationId = "removeMember",
            summary =
                    "Remove a member (members.remove; an owner also needs members.manage_owners), or leave (your own id)")
    @DeleteMapping("/{user}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void remove(@PathVariable UUID org, @PathVariable UUID user) {
        management.remove(org, caller(), user);
    }
}
