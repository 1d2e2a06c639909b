package dev.gatehouse.organization;

import static dev.gatehouse.organization.OrgController.caller;

import dev.gatehouse.platform.Page;
import dev.gatehouse.platform.PageCursor;
import dev.gatehouse.platform.Permission;
import dev.gatehouse.platform.RequiresPermission;
import io.swagger.v3.oas.annotations.Operation;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** Open invitations of an organization (list, revoke), and accepting one. */
@RequiresPermission(Permission.SIGNED_IN)
@RestController
class InvitationController {

    private final OrgInvitations invitations;
    private final Clock clock;

    InvitationController(OrgInvitations invitations, Clock clock) {
        this.invitations = invitations;
        this.clock = clock;
    }

    /**
     * An open invitation.
     *
     * @param status {@code pending}, or {@code expired} (it can no longer be accepted; invite again to resend)
     */
    record InvitationView(
            UUID id,
            String email,
            OrgRole role,
            Invitation.Status status,
            UUID invitedBy,
            Instant createdAt,
            Instant expiresAt) {
        static InvitationView of(Invitation i, Instant now) {
            return new InvitationView(
                    i.id(), i.email(), i.role(), i.status(now), i.invitedBy(), i.createdAt(), i.expiresAt());
        }
    }

    record InvitationPage(
            List<InvitationView> data, @Nullable String nextCursor) {}

    @Operation(
            operationId = "listInvitations",
            summary = "The organization's open invitations, oldest first (members.invite)")
    @GetMapping(path = "/api/v1/orgs/{org}/invitations", produces = "application/json")
    InvitationPage list(
            @PathVariable UUID org,
            @RequestParam(defaultValue = "50") @Min(1) @Max(200) int limit,
            @RequestParam(required = false) @Nullable String cursor) {
        PageCursor after = cursor == null ? null : PageCursor.decode(cursor);
        Page<Invitation> page = invitations.openPage(org, caller(), after, limit);
        Instant now = clock.instant();
        return new InvitationPage(
                page.items().stream().map(i -> InvitationView.of(i, now)).toList(), page.nextCursor());
    }

    @Operation(
            operationId = "revokeInvitation",
            summary = "Revoke an open invitation (members.invite); its link stops working")
    @DeleteMapping("/api/v1/orgs/{org}/invitations/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void revoke(@PathVariable UUID org, @PathVariable UUID id) {
        invitations.revoke(org, caller(), id);
    }

    @Operation(
            operationId = "acceptInvitation",
            summary = "Accept an invitation",
            description = "The caller's verified email address must be the invited one (case-insensitive). Answers"
                    + " the organization with the caller's new role.")
    @PostMapping(path = "/api/v1/invitations/{token}/accept", produces = "application/json")
    OrgController.OrgView accept(@PathVariable String token) {
        return OrgController.OrgView.of(invitations.accept(token, caller()));
    }
}
