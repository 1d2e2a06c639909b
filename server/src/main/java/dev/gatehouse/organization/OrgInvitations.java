package dev.gatehouse.organization;

import static dev.gatehouse.organization.OrgPermission.MEMBERS_INVITE;
import static dev.gatehouse.organization.OrgPermission.MEMBERS_MANAGE_OWNERS;

import dev.gatehouse.identity.UserDirectory;
import dev.gatehouse.identity.UserSummary;
import dev.gatehouse.notification.Email;
import dev.gatehouse.notification.Mailer;
import dev.gatehouse.platform.HttpSettings;
import dev.gatehouse.platform.OpaqueTokens;
import dev.gatehouse.platform.Page;
import dev.gatehouse.platform.PageCursor;
import dev.gatehouse.platform.RequestIds;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.UUID;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;

/**
 * Invitations by email: invite (the address need not have an account yet), list and revoke open
 * invitations, accept. An invitation is a single-use token, valid for {@code invitation-ttl} (7 days), that
 * only a signed-in user whose verified address is the invited one can accept.
 *
 * <p>Seats: members plus open, unexpired invitations must stay within the organization's {@link SeatPolicy}
 * limit. Inviting takes a seat; accepting turns the invitation's seat into a member's, and is refused too
 * if the organization is over its limit by then (a lowered limit).
 */
@Service
class OrgInvitations {

    /** {@code ghi_} tokens; only their SHA-256 is stored, so the token can be found by an index lookup. */
    static final OpaqueTokens TOKENS = OpaqueTokens.prefixed("ghi_");

    /** Deliberately simple, like registration's check: the invitation email itself proves the address. */
    private static final Pattern EMAIL = Pattern.compile("^[^@\\s]{1,64}@[^@\\s]+\\.[^@\\s.]{2,}$");

    private final Organizations orgs;
    private final Memberships memberships;
    private final Invitations invitations;
    private final OrgAccess access;
    private final OrgTransactions tx;
    private final SeatPolicy seats;
    private final UserDirectory users;
    private final Mailer mailer;
    private final OrganizationSettings settings;
    private final HttpSettings http;
    private final ApplicationEventPublisher events;
    private final Clock clock;

    OrgInvitations(
            Organizations orgs,
            Memberships memberships,
            Invitations invitations,
            OrgAccess access,
            OrgTransactions tx,
            SeatPolicy seats,
            UserDirectory users,
            Mailer mailer,
            OrganizationSettings settings,
            HttpSettings http,
            ApplicationEventPublisher events,
            Clock clock) {
        this.orgs = orgs;
        this.memberships = memberships;
        this.invitations = invitations;
        this.access = access;
        this.tx = tx;
        this.seats = seats;
        this.users = users;
        this.mailer = mailer;
        this.settings = settings;
        this.http = http;
        this.events = events;
        this.clock = clock;
    }

    /**
     * Emails an invitation. An open invitation to the same address is replaced (revoked, and a new link
     * sent with the new role), which is how an invitation is resent.
     */
    Invitation invite(UUID orgId, UUID actorId, String rawEmail, OrgRole role) {
        String email = rawEmail.strip().toLowerCase(Locale.ROOT);
        if (email.length() > 254 || !EMAIL.matcher(email).matches()) throw OrgFailures.invalidEmail();
        return tx.write(() -> {
            Standing s = access.locked(orgId, actorId).require(MEMBERS_INVITE);
            if (role == OrgRole.OWNER) s.require(MEMBERS_MANAGE_OWNERS);
            if (s.org().personal()) throw OrgFailures.personalOrganization("it has no other members");
            Optional<UserSummary> invitee = users.byEmail(email);
            if (invitee.isPresent()
                    && memberships.find(orgId, invitee.get().id()).isPresent()) {
                throw OrgFailures.alreadyMember();
            }
            Instant now = clock.instant();
            Optional<Invitation> replaced = invitations.openFor(orgId, email);
            boolean replacedHoldsSeat = replaced.isPresent() && !replaced.get().expired(now);
            requireSeats(orgId, now, replacedHoldsSeat ? 0 : 1);
            replaced.ifPresent(old -> {
                invitations.revoke(old.revoke(now).id(), actorId, now);
                events.publishEvent(new InvitationRevoked(
                        orgId, actorId, old.id(), old.email(), old.role(), RequestIds.current(), now));
            });

            String token = TOKENS.generate();
            Invitation invitation = new Invitation(
                    UUID.randomUUID(),
                    orgId,
                    email,
                    role,
                    actorId,
                    now,
                    now.plus(settings.invitationTtl()),
                    null,
                    null);
            invitations.insert(invitation, OpaqueTokens.sha256(token));
            mail(s.org(), actorId, invitee, invitation, token);
            events.publishEvent(new MemberInvited(
                    orgId,
                    actorId,
                    invitee.map(UserSummary::id).orElse(null),
                    invitation.id(),
                    email,
                    role,
                    invitation.expiresAt(),
                    RequestIds.current(),
                    now));
            return invitation;
        });
    }

    /** The email goes out through the outbox in this transaction: no invitation without its email. */
    private void mail(Org org, UUID actorId, Optional<UserSummary> invitee, Invitation invitation, String token) {
        Optional<UserSummary> inviter = users.byId(actorId);
        String base = settings.invitationUrl() == null ? http.base() + "/accept-invitation" : settings.invitationUrl();
        Map<String, String> model = new HashMap<>();
        model.put("inviter_name", inviter.map(UserSummary::name).orElse("Gatehouse"));
        model.put("org_name", org.name());
        model.put("role", invitation.role().wire());
        model.put("link", base + "?token=" + token);
        model.put("expires_days", Long.toString(settings.invitationTtl().toDays()));
        invitee.ifPresent(u -> model.put("name", u.name()));
        // The invitee's own language when they have an account; else the inviter's, the best guess we have.
        String locale = invitee.or(() -> inviter).map(UserSummary::locale).orElse("en");
        mailer.send(new Email(invitation.email(), "org-invitation", Locale.forLanguageTag(locale), model));
    }

    Page<Invitation> openPage(UUID orgId, UUID actorId, @Nullable PageCursor after, int limit) {
        access.of(orgId, actorId).require(MEMBERS_INVITE);
        return invitations.openPage(orgId, after, limit);
    }

    void revoke(UUID orgId, UUID actorId, UUID invitationId) {
        tx.write(() -> {
            Standing s = access.locked(orgId, actorId).require(MEMBERS_INVITE);
            Invitation invitation = invitations.inOrg(orgId, invitationId).orElseThrow(OrgFailures::invitationNotFound);
            if (invitation.role() == OrgRole.OWNER) s.require(MEMBERS_MANAGE_OWNERS);
            Instant now = clock.instant();
            Invitation revoked = invitation.revoke(now);
            invitations.revoke(invitationId, actorId, now);
            events.publishEvent(new InvitationRevoked(
                    orgId, actorId, invitationId, invitation.email(), invitation.role(), RequestIds.current(), now));
            return revoked;
        });
    }

    /**
     * Accepts an invitation for the signed-in user. The invitation's state is judged first (revoked, used,
     * expired: 410), then whether it is this user's (403), so a stale link says what happened to it.
     */
    Standing accept(String token, UUID userId) {
        if (!TOKENS.wellFormed(token)) throw OrgFailures.invitationNotFound();
        byte[] hash = OpaqueTokens.sha256(token);
        UUID orgId = invitations
                .byTokenHash(hash)
                .orElseThrow(OrgFailures::invitationNotFound)
                .orgId();
        return tx.write(() -> {
            // Under the organization's lock, like every membership change: two accepts of one token, or an
            // accept racing a revoke, are serialized, and the second sees the first's outcome.
            Optional<Org> org = orgs.lockActive(orgId);
            Invitation invitation = invitations.byTokenHash(hash).orElseThrow(OrgFailures::invitationNotFound);
            Instant now = clock.instant();
            // A deleted organization's invitations were revoked with it.
            if (org.isEmpty()) throw OrgFailures.invitationRevoked();
            Invitation accepted = invitation.accept(now);
            UserSummary user = users.byId(userId).orElseThrow(OrgFailures::invitationEmailMismatch);
            if (!user.emailVerified()) throw OrgFailures.emailNotVerified();
            if (!user.email().equalsIgnoreCase(invitation.email())) throw OrgFailures.invitationEmailMismatch();
            if (memberships.find(orgId, userId).isPresent()) throw OrgFailures.alreadyMember();
            // This invitation already holds one of the counted seats; becoming a member keeps it.
            requireSeats(orgId, now, 0);
            Member member = new Member(orgId, userId, invitation.role(), now);
            memberships.insert(member);
            invitations.accept(accepted.id(), userId, now);
            events.publishEvent(new InvitationAccepted(
                    orgId,
                    userId,
                    userId,
                    invitation.id(),
                    invitation.invitedBy(),
                    invitation.role(),
                    RequestIds.current(),
                    now));
            return new Standing(org.get(), member);
        });
    }

    /** Refuses a change that would leave members plus pending invitations above the seat limit. */
    private void requireSeats(UUID orgId, Instant now, int adding) {
        OptionalInt limit = seats.seatLimit(orgId);
        if (limit.isEmpty()) return;
        int taken = memberships.count(orgId) + invitations.pending(orgId, now);
        if (taken + adding > limit.getAsInt()) throw OrgFailures.seatLimitReached(limit.getAsInt());
    }
}
