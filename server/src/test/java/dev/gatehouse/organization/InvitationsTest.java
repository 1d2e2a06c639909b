package dev.gatehouse.organization;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.support.Http;
import dev.gatehouse.support.TestAccounts;
import jakarta.mail.internet.MimeMessage;
import java.time.Duration;
import java.util.Locale;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Invitations by email: invite, the email, accept, and every way an accept is refused; list and revoke. */
class InvitationsTest extends OrgEndToEndTest {

    @Test
    void anInviteeWithoutAnAccountSignsUpAcceptsAndBecomesAMember() throws Exception {
        User owner = user("inviter");
        UUID orgId = createOrg(owner, "Invitational");
        String email = TestAccounts.uniqueEmail("newcomer");

        // Invited under another spelling of the address: matching is case-insensitive.
        String token = invitedToken(owner, orgId, email.toUpperCase(Locale.ROOT), "admin");
        assertThat(token).startsWith("ghi_");
        MimeMessage mail = accounts.mailTo(email)[0];
        assertThat(mail.getSubject()).isEqualTo("Test User invited you to join Invitational");
        assertThat(db.sql("select count(*) from org_invitations where token_hash = sha256(convert_to(:t, 'UTF8'))")
                        .param("t", token)
                        .query(Integer.class)
                        .single())
                .as("only the token's hash is stored")
                .isEqualTo(1);

        JsonNode pending =
                http.get(invitations(orgId)).bearer(owner.token()).send().json().get("data");
        assertThat(pending).hasSize(1);
        assertThat(pending.get(0).get("email").asString()).isEqualTo(email);
        assertThat(pending.get(0).get("role").asString()).isEqualTo("admin");
        assertThat(pending.get(0).get("status").asString()).isEqualTo("pending");
        assertThat(pending.get(0).get("invited_by").asString())
                .isEqualTo(owner.id().toString());

        User newcomer = user("newcomer", email);
        Http.Response accepted = accept(newcomer, token);
        assertThat(accepted.status()).as(accepted.toString()).isEqualTo(200);
        assertThat(accepted.json().get("id").asString()).isEqualTo(orgId.toString());
        assertThat(accepted.json().get("role").asString()).isEqualTo("admin");
        assertThat(roleOf(orgId, newcomer.id())).isEqualTo("admin");

        JsonNode members =
                http.get(members(orgId)).bearer(newcomer.token()).send().json().get("data");
        assertThat(members).hasSize(2);
        assertThat(members.get(1).get("user_id").asString())
                .isEqualTo(newcomer.id().toString());
        assertThat(members.get(1).get("email").asString()).isEqualTo(email);
        assertThat(members.get(1).get("name").asString()).isEqualTo("Test User");
        assertThat(http.get(invitations(orgId))
                        .bearer(owner.token())
                        .send()
                        .json()
                        .get("data"))
                .isEmpty();

        assertProblem(accept(newcomer, token), 410, "invitation_used");
        assertThat(published(MemberInvited.class))
                .anySatisfy(e -> assertThat(e)
                        .isEqualTo(new MemberInvited(
                                orgId,
                                owner.id(),
                                null,
                                e.invitationId(),
                                email,
                                OrgRole.ADMIN,
                                e.expiresAt(),
                                e.requestId(),
                                e.occurredAt())));
        assertThat(published(InvitationAccepted.class))
                .anySatisfy(e -> assertThat(e)
                        .isEqualTo(new InvitationAccepted(
                                orgId,
                                newcomer.id(),
                                newcomer.id(),
                                e.invitationId(),
                                owner.id(),
                                OrgRole.ADMIN,
                                e.requestId(),
                                e.occurredAt())));
    }

    @Test
    void anInvitationExpiresAfterSevenDays() {
        User owner = user("expiring");
        UUID orgId = createOrg(owner, "Expiring");
        User invitee = user("late");
        String token = invitedToken(owner, orgId, invitee.email(), "member");

        clock.advance(Duration.ofDays(7).plusMinutes(1));
        owner = signInAgain(owner);
        invitee = signInAgain(invitee);
        assertProblem(accept(invitee, token), 410, "invitation_expired");
        JsonNode open =
                http.get(invitations(orgId)).bearer(owner.token()).send().json().get("data");
        assertThat(open.get(0).get("status").asString()).isEqualTo("expired");

        // Inviting again replaces the expired invitation with a fresh link.
        String again = invitedToken(owner, orgId, invitee.email(), "member");
        assertThat(again).isNotEqualTo(token);
        Http.Response accepted = accept(invitee, again);
        assertThat(accepted.status()).as(accepted.toString()).isEqualTo(200);
    }

    @Test
    void onlyTheInvitedAddressCanAccept() {
        User owner = user("addressed");
        UUID orgId = createOrg(owner, "Addressed");
        User invitee = user("rightful");
        User stranger = user("stranger");
        String token = invitedToken(owner, orgId, invitee.email(), "billing");

        assertProblem(accept(stranger, token), 403, "invitation_email_mismatch");
        assertThat(roleOf(orgId, stranger.id())).isNull();
        // The failed attempt used nothing up.
        Http.Response accepted = accept(invitee, token);
        assertThat(accepted.status()).as(accepted.toString()).isEqualTo(200);
        assertThat(accepted.json().get("role").asString()).isEqualTo("billing");
    }

    @Test
    void aRevokedInvitationCannotBeAccepted() {
        User owner = user("revoker");
        UUID orgId = createOrg(owner, "Revoking");
        User invitee = user("revoked");
        String token = invitedToken(owner, orgId, invitee.email(), "member");
        UUID invitationId = UUID.fromString(http.get(invitations(orgId))
                .bearer(owner.token())
                .send()
                .json()
                .get("data")
                .get(0)
                .get("id")
                .asString());

        Http.Response revoked = http.delete(invitations(orgId) + "/" + invitationId)
                .bearer(owner.token())
                .send();
        assertThat(revoked.status()).as(revoked.toString()).isEqualTo(204);
        assertThat(http.get(invitations(orgId))
                        .bearer(owner.token())
                        .send()
                        .json()
                        .get("data"))
                .isEmpty();
        assertProblem(accept(invitee, token), 410, "invitation_revoked");
        assertProblem(
                http.delete(invitations(orgId) + "/" + invitationId)
                        .bearer(owner.token())
                        .send(),
                409,
                "invitation_not_pending");
        assertProblem(
                http.delete(invitations(orgId) + "/" + UUID.randomUUID())
                        .bearer(owner.token())
                        .send(),
                404,
                "not_found");
        assertThat(published(InvitationRevoked.class))
                .anySatisfy(e -> assertThat(e)
                        .isEqualTo(new InvitationRevoked(
                                orgId,
                                owner.id(),
                                invitationId,
                                invitee.email(),
                                OrgRole.MEMBER,
                                e.requestId(),
                                e.occurredAt())));
    }

    @Test
    void unknownAndMalformedTokensAreNotFound() {
        User someone = user("guesser");
        assertProblem(accept(someone, OrgInvitations.TOKENS.generate()), 404, "not_found");
        assertProblem(accept(someone, "ghi_short"), 404, "not_found");
        assertProblem(accept(someone, "x".repeat(500)), 404, "not_found");
    }

    @Test
    void invitingAMemberIsAConflictAndReinvitingReplacesTheOpenInvitation() {
        User owner = user("reinviter");
        UUID orgId = createOrg(owner, "Reinviting");
        User member = user("already");
        join(owner, orgId, member, "member");

        assertProblem(invite(owner, orgId, member.email(), "admin"), 409, "already_member");
        assertProblem(invite(owner, orgId, owner.email(), "member"), 409, "already_member");

        User invitee = user("twice");
        String first = invitedToken(owner, orgId, invitee.email(), "member");
        String second = invitedToken(owner, orgId, invitee.email(), "billing");
        assertThat(second).isNotEqualTo(first);
        assertThat(http.get(invitations(orgId))
                        .bearer(owner.token())
                        .send()
                        .json()
                        .get("data"))
                .singleElement()
                .satisfies(i -> assertThat(i.get("role").asString()).isEqualTo("billing"));
        assertProblem(accept(invitee, first), 410, "invitation_revoked");
        Http.Response accepted = accept(invitee, second);
        assertThat(accepted.status()).as(accepted.toString()).isEqualTo(200);
        assertThat(accepted.json().get("role").asString()).isEqualTo("billing");
        assertProblem(accept(invitee, second), 410, "invitation_used");
    }

    @Test
    void deletingAnOrganizationRevokesItsInvitations() {
        User owner = user("closing");
        UUID orgId = createOrg(owner, "Closing");
        User invitee = user("toolate");
        String token = invitedToken(owner, orgId, invitee.email(), "member");
        assertThat(http.delete(org(orgId)).bearer(owner.token()).send().status())
                .isEqualTo(204);
        assertProblem(accept(invitee, token), 410, "invitation_revoked");
    }

    @Test
    void theInvitationEmailIsInTheInviteesLanguage() throws Exception {
        User owner = user("polyglot");
        UUID orgId = createOrg(owner, "Polyglot");
        String email = TestAccounts.uniqueEmail("francophone");
        Http.Response registered = http.post("/api/v1/auth/register")
                .json("email", email, "password", TestAccounts.PASSWORD, "name", "Amélie", "locale", "fr")
                .send();
        assertThat(registered.status()).isEqualTo(201);
        awaitMailCount(email, 1);

        invitedToken(owner, orgId, email, "member");
        MimeMessage invitation = accounts.mailTo(email)[1];
        assertThat(invitation.getSubject()).isEqualTo("Test User vous invite à rejoindre Polyglot");
    }
}
