package dev.gatehouse.organization;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.support.Http;
import dev.gatehouse.support.TestAccounts;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** Members plus open, unexpired invitations stay within the organization's {@link SeatPolicy} limit. */
class SeatLimitTest extends OrgEndToEndTest {

    @Autowired
    SeatPolicy policy;

    @Test
    void theTestPolicyStandsInFrontOfThePlansOne() {
        assertThat(policy).isSameAs(seats);
    }

    @Test
    void invitationsAndAcceptsStopAtTheSeatLimit() {
        User owner = user("seats");
        UUID orgId = createOrg(owner, "Three seats");
        seats.limit(orgId, 3);

        User first = user("seat-1");
        join(owner, orgId, first, "member"); // owner + 1 member
        User second = user("seat-2");
        String pending = invitedToken(owner, orgId, second.email(), "member"); // + 1 pending = 3

        Http.Response refused = invite(owner, orgId, TestAccounts.uniqueEmail("seat-3"), "member");
        assertProblem(refused, 409, "seat_limit_reached");
        assertThat(refused.json().get("seat_limit").asInt()).isEqualTo(3);

        // Re-sending the pending invitation takes no extra seat.
        pending = invitedToken(owner, orgId, second.email(), "billing");
        // Accepting turns the invitation's seat into a member's.
        Http.Response accepted = accept(second, pending);
        assertThat(accepted.status()).as(accepted.toString()).isEqualTo(200);
        assertProblem(invite(owner, orgId, TestAccounts.uniqueEmail("seat-4"), "member"), 409, "seat_limit_reached");

        // A member leaving frees a seat.
        assertThat(http.delete(member(orgId, first.id()))
                        .bearer(first.token())
                        .send()
                        .status())
                .isEqualTo(204);
        User third = user("seat-5");
        String token = invitedToken(owner, orgId, third.email(), "member");

        // A lowered limit (a downgrade) refuses the accept that would go over it.
        seats.limit(orgId, 2);
        assertProblem(accept(third, token), 409, "seat_limit_reached");
        seats.limit(orgId, 3);
        assertThat(accept(third, token).status()).isEqualTo(200);
        assertThat(db.sql("select count(*) from org_members where org_id = :org")
                        .param("org", orgId)
                        .query(Integer.class)
                        .single())
                .isEqualTo(3);
    }

    @Test
    void revokingAnInvitationOrLettingItExpireFreesItsSeat() {
        User owner = user("freeing");
        UUID orgId = createOrg(owner, "Two seats");
        seats.limit(orgId, 2);
        invite(owner, orgId, TestAccounts.uniqueEmail("held"), "member");
        assertProblem(invite(owner, orgId, TestAccounts.uniqueEmail("over"), "member"), 409, "seat_limit_reached");

        String id = http.get(invitations(orgId))
                .bearer(owner.token())
                .send()
                .json()
                .get("data")
                .get(0)
                .get("id")
                .asString();
        assertThat(http.delete(invitations(orgId) + "/" + id)
                        .bearer(owner.token())
                        .send()
                        .status())
                .isEqualTo(204);
        assertThat(invite(owner, orgId, TestAccounts.uniqueEmail("fits"), "member")
                        .status())
                .isEqualTo(201);

        clock.advance(java.time.Duration.ofDays(8));
        owner = signInAgain(owner);
        assertThat(invite(owner, orgId, TestAccounts.uniqueEmail("after-expiry"), "member")
                        .status())
                .isEqualTo(201);
    }

    @Test
    void theSeatsAreThePlansFreeHasThreeAndAnUpgradeRaisesThem() {
        User owner = user("plan-seats");
        UUID orgId = createOrg(owner, "Seats from the plan");
        seats.fromPlan(orgId);
        assertThat(policy.seatLimit(orgId)).hasValue(3);
        invite(owner, orgId, TestAccounts.uniqueEmail("plan-seat-1"), "member");
        invite(owner, orgId, TestAccounts.uniqueEmail("plan-seat-2"), "member");
        Http.Response refused = invite(owner, orgId, TestAccounts.uniqueEmail("plan-seat-3"), "member");
        assertProblem(refused, 409, "seat_limit_reached");
        assertThat(refused.json().get("seat_limit").asInt()).isEqualTo(3);

        String admin = accounts.admin().accessToken();
        Http.Response upgraded = http.post("/api/v1/admin/orgs/" + orgId + "/subscription/override")
                .bearer(admin)
                .json("plan", "pro", "reason", "more seats")
                .send();
        assertThat(upgraded.status()).as(upgraded.toString()).isEqualTo(200);
        assertThat(policy.seatLimit(orgId)).hasValue(20);
        assertThat(invite(owner, orgId, TestAccounts.uniqueEmail("plan-seat-4"), "member")
                        .status())
                .isEqualTo(201);
        http.post("/api/v1/admin/orgs/" + orgId + "/subscription/override")
                .bearer(admin)
                .json("plan", "enterprise", "reason", "unlimited seats")
                .send();
        assertThat(policy.seatLimit(orgId)).as("enterprise seats are unlimited").isEmpty();
    }
}
