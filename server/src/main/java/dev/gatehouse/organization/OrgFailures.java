package dev.gatehouse.organization;

import dev.gatehouse.platform.ApiException;
import dev.gatehouse.platform.Problems;
import java.util.Map;
import org.springframework.http.HttpStatus;

/** The organization module's problems, each a fact with a stable code. */
final class OrgFailures {

    private OrgFailures() {}

    /** Also what a non-member gets for an organization that exists: its existence is not revealed. */
    static ApiException orgNotFound() {
        return Problems.notFound("Organization");
    }

    static ApiException memberNotFound() {
        return Problems.notFound("Member");
    }

    static ApiException invitationNotFound() {
        return Problems.notFound("Invitation");
    }

    static ApiException lastOwner() {
        return Problems.conflict(
                "last_owner",
                "An organization always keeps an owner: make another member owner first, or transfer ownership.");
    }

    static ApiException personalOrganization(String what) {
        return Problems.conflict(
                "personal_organization",
                "A personal organization belongs to its user: " + what
                        + ". Create an organization to work with others.");
    }

    static ApiException alreadyMember() {
        return Problems.conflict("already_member", "This person is already a member of the organization.");
    }

    static ApiException seatLimitReached(int limit) {
        return Problems.of(
                HttpStatus.CONFLICT,
                "seat_limit_reached",
                "Seat limit reached",
                "The organization's plan allows " + limit + " seats (members plus pending invitations); all are taken.",
                Map.of("seat_limit", limit));
    }

    static ApiException invalidEmail() {
        return Problems.invalid("invalid_email", "The email address is not valid.");
    }

    static ApiException notAMember() {
        return Problems.invalid("not_a_member", "The new owner must already be a member of the organization.");
    }

    static ApiException transferToSelf() {
        return Problems.invalid("transfer_to_self", "You already own this organization; choose another member.");
    }

    static ApiException invitationNotPending() {
        return Problems.conflict("invitation_not_pending", "This invitation was already accepted or revoked.");
    }

    static ApiException invitationExpired() {
        return gone("invitation_expired", "Invitation expired", "This invitation has expired; ask for a new one.");
    }

    static ApiException invitationUsed() {
        return gone("invitation_used", "Invitation used", "This invitation was already accepted.");
    }

    static ApiException invitationRevoked() {
        return gone("invitation_revoked", "Invitation revoked", "This invitation was revoked.");
    }

    static ApiException invitationEmailMismatch() {
        return Problems.of(
                HttpStatus.FORBIDDEN,
                "invitation_email_mismatch",
                "Invitation is for another address",
                "This invitation was sent to another email address; sign in with the account of that address.",
                Map.of());
    }

    static ApiException emailNotVerified() {
        return Problems.of(
                HttpStatus.FORBIDDEN,
                "email_not_verified",
                "Email not verified",
                "Verify your email address before accepting invitations.",
                Map.of());
    }

    private static ApiException gone(String code, String title, String detail) {
        return Problems.of(HttpStatus.GONE, code, title, detail, Map.of());
    }
}
