package dev.gatehouse.organization;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.support.Http;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Role changes, removing members, leaving, and transferring ownership, with the rules around owners. */
class MemberRolesTest extends OrgEndToEndTest {

    User owner;
    User admin;
    User billing;
    User member;
    UUID orgId;

    @BeforeEach
    void team() {
        owner = user("owner");
        admin = user("admin");
        billing = user("billing");
        member = user("member");
        orgId = createOrg(owner, "Roles Inc");
        join(owner, orgId, admin, "admin");
        join(owner, orgId, billing, "billing");
        join(owner, orgId, member, "member");
    }

    private Http.Response setRole(User by, User target, String role) {
        return http.patch(member(orgId, target.id()))
                .bearer(by.token())
                .json("role", role)
                .send();
    }

    private Http.Response remove(User by, User target) {
        return http.delete(member(orgId, target.id())).bearer(by.token()).send();
    }

    @Test
    void adminsChangeRolesButCannotTouchOwnersAndOnlyOwnersGrantOwner() {
        Http.Response changed = setRole(admin, member, "billing");
        assertThat(changed.status()).as(changed.toString()).isEqualTo(200);
        assertThat(changed.json().get("role").asString()).isEqualTo("billing");
        assertThat(changed.json().get("user_id").asString())
                .isEqualTo(member.id().toString());
        assertThat(changed.json().get("email").asString()).isEqualTo(member.email());

        assertProblem(setRole(admin, member, "owner"), 403, "forbidden");
        assertProblem(setRole(admin, admin, "owner"), 403, "forbidden");
        assertProblem(setRole(admin, owner, "admin"), 403, "forbidden");
        assertProblem(remove(admin, owner), 403, "forbidden");
        assertProblem(invite(admin, orgId, "boss@example.com", "owner"), 403, "forbidden");
        assertThat(roleOf(orgId, owner.id())).isEqualTo("owner");

        Http.Response promoted = setRole(owner, member, "owner");
        assertThat(promoted.status()).as(promoted.toString()).isEqualTo(200);
        assertThat(owners(orgId)).isEqualTo(2);
        // The new owner may take the role away from the first one: there is still an owner.
        Http.Response demoted = setRole(member, owner, "member");
        assertThat(demoted.status()).as(demoted.toString()).isEqualTo(200);
        assertThat(roleOf(orgId, owner.id())).isEqualTo("member");

        MemberRoleChanged last = published(MemberRoleChanged.class).getLast();
        assertThat(published(MemberRoleChanged.class))
                .contains(new MemberRoleChanged(
                        orgId,
                        member.id(),
                        owner.id(),
                        OrgRole.OWNER,
                        OrgRole.MEMBER,
                        demoted.header("X-Request-Id"),
                        last.occurredAt()));
    }

    @Test
    void billingAndPlainMembersCannotChangeRolesOrRemoveOthers() {
        for (User caller : List.of(billing, member)) {
            assertProblem(setRole(caller, admin, "member"), 403, "forbidden");
            assertProblem(remove(caller, admin), 403, "forbidden");
        }
        assertProblem(setRole(member, member, "admin"), 403, "forbidden");
        assertThat(roleOf(orgId, member.id())).isEqualTo("member");
    }

    @Test
    void changingTheRoleOfSomeoneWhoIsNotAMemberIsNotFound() {
        User outsider = user("outsider");
        assertProblem(setRole(owner, outsider, "admin"), 404, "not_found");
        assertProblem(remove(owner, outsider), 404, "not_found");
    }

    @Test
    void membersAreRemovedOrLeaveAndTheLastOwnerCannotGo() {
        Http.Response removed = remove(admin, member);
        assertThat(removed.status()).as(removed.toString()).isEqualTo(204);
        assertThat(roleOf(orgId, member.id())).isNull();
        assertProblem(http.get(org(orgId)).bearer(member.token()).send(), 404, "not_found");

        Http.Response left = remove(billing, billing);
        assertThat(left.status()).as(left.toString()).isEqualTo(204);
        assertThat(roleOf(orgId, billing.id())).isNull();

        assertProblem(remove(owner, owner), 409, "last_owner");
        assertProblem(setRole(owner, owner, "admin"), 409, "last_owner");
        assertThat(roleOf(orgId, owner.id())).isEqualTo("owner");

        Http.Response adminLeaves = remove(admin, admin);
        assertThat(adminLeaves.status()).isEqualTo(204);
        List<MemberRemoved> removals = published(MemberRemoved.class);
        assertThat(removals)
                .contains(
                        new MemberRemoved(
                                orgId,
                                admin.id(),
                                member.id(),
                                OrgRole.MEMBER,
                                removed.header("X-Request-Id"),
                                of(removals, member).occurredAt()),
                        new MemberRemoved(
                                orgId,
                                billing.id(),
                                billing.id(),
                                OrgRole.BILLING,
                                left.header("X-Request-Id"),
                                of(removals, billing).occurredAt()));
    }

    private static MemberRemoved of(List<MemberRemoved> removals, User target) {
        return removals.stream()
                .filter(r -> r.targetUserId().equals(target.id()))
                .findFirst()
                .orElseThrow();
    }

    @Test
    void theOwnerTransfersOwnershipAndBecomesAdmin() {
        String transfer = org(orgId) + "/transfer-ownership";
        assertProblem(
                http.post(transfer)
                        .bearer(admin.token())
                        .json("user_id", admin.id().toString())
                        .send(),
                403,
                "forbidden");
        assertProblem(
                http.post(transfer)
                        .bearer(owner.token())
                        .json("user_id", owner.id().toString())
                        .send(),
                422,
                "transfer_to_self");
        assertProblem(
                http.post(transfer)
                        .bearer(owner.token())
                        .json("user_id", UUID.randomUUID().toString())
                        .send(),
                422,
                "not_a_member");

        Http.Response done = http.post(transfer)
                .bearer(owner.token())
                .json("user_id", billing.id().toString())
                .send();
        assertThat(done.status()).as(done.toString()).isEqualTo(200);
        assertThat(done.json().get("role").asString()).isEqualTo("admin");
        assertThat(roleOf(orgId, billing.id())).isEqualTo("owner");
        assertThat(roleOf(orgId, owner.id())).isEqualTo("admin");
        assertThat(owners(orgId)).isEqualTo(1);

        // The previous owner is an admin now, with an admin's rights only.
        assertProblem(
                http.post(transfer)
                        .bearer(owner.token())
                        .json("user_id", owner.id().toString())
                        .send(),
                403,
                "forbidden");
        assertProblem(http.delete(org(orgId)).bearer(owner.token()).send(), 403, "forbidden");
        assertThat(published(OwnershipTransferred.class))
                .anySatisfy(e -> assertThat(e)
                        .isEqualTo(new OwnershipTransferred(
                                orgId,
                                owner.id(),
                                billing.id(),
                                OrgRole.BILLING,
                                OrgRole.ADMIN,
                                e.requestId(),
                                e.occurredAt())));
    }

    @Test
    void theMemberListPagesWithACursor() {
        List<String> ids = new ArrayList<>();
        String cursor = null;
        do {
            Http.Response page = http.get(members(orgId) + "?limit=3" + (cursor == null ? "" : "&cursor=" + cursor))
                    .bearer(member.token())
                    .send();
            assertThat(page.status()).as(page.toString()).isEqualTo(200);
            page.json().get("data").forEach(m -> ids.add(m.get("user_id").asString()));
            cursor = page.json().has("next_cursor")
                    ? page.json().get("next_cursor").asString()
                    : null;
        } while (cursor != null);
        assertThat(ids)
                .containsExactly(
                        owner.id().toString(),
                        admin.id().toString(),
                        billing.id().toString(),
                        member.id().toString());
    }
}
