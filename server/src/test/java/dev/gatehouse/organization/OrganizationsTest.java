package dev.gatehouse.organization;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.identity.UserRegistered;
import dev.gatehouse.support.Http;
import dev.gatehouse.support.TestAccounts;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/** Personal organizations, and the life of a team organization: create, read, rename, delete, list. */
class OrganizationsTest extends OrgEndToEndTest {

    @Autowired
    OrganizationDirectory organizations;

    @Test
    void everyUserGetsAPersonalOrganizationOwnedByThem() {
        User ada = user("personal");
        Http.Response list = http.get(ORGS).bearer(ada.token()).send();
        assertThat(list.status()).as(list.toString()).isEqualTo(200);
        JsonNode data = list.json().get("data");
        assertThat(data).hasSize(1);
        JsonNode personal = data.get(0);
        assertThat(personal.get("personal").asBoolean()).isTrue();
        assertThat(personal.get("role").asString()).isEqualTo("owner");
        assertThat(personal.get("name").asString()).isEqualTo("Test User");
        assertThat(list.json().has("next_cursor")).isFalse();

        UUID orgId = UUID.fromString(personal.get("id").asString());
        assertThat(roleOf(orgId, ada.id())).isEqualTo("owner");
        assertThat(organizations.roleOf(orgId, ada.id())).contains(OrgRole.OWNER);
        assertThat(organizations.exists(orgId)).isTrue();
        // Created while the registration was handled (same request, same instant), by a synchronous
        // listener; OrganizationModuleTest proves it rolls back with the account.
        UserRegistered registered = events.ofType(UserRegistered.class)
                .matching(UserRegistered::userId, ada.id()::equals)
                .iterator()
                .next();
        assertThat(events.ofType(OrganizationCreated.class).matching(OrganizationCreated::orgId, orgId::equals))
                .singleElement()
                .isEqualTo(new OrganizationCreated(
                        orgId, ada.id(), "Test User", true, registered.requestId(), registered.occurredAt()));
        assertThat(registered.requestId()).isNotNull();
    }

    @Test
    void theBootstrapAdminHasAPersonalOrganizationToo() {
        TestAccounts.Account admin = accounts.admin();
        JsonNode data = http.get(ORGS).bearer(admin.accessToken()).send().json().get("data");
        assertThat(data).anySatisfy(org -> {
            assertThat(org.get("personal").asBoolean()).isTrue();
            assertThat(org.get("name").asString()).isEqualTo("Administrator");
            assertThat(org.get("role").asString()).isEqualTo("owner");
        });
    }

    @Test
    void createReadRenameAndDeleteAnOrganization() {
        User owner = user("lifecycle");
        Http.Response created = http.post(ORGS)
                .bearer(owner.token())
                .json("name", "  Acme Rockets  ")
                .send();
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        UUID orgId = UUID.fromString(created.json().get("id").asString());
        assertThat(created.header("Location")).isEqualTo("/api/v1/orgs/" + orgId);
        assertThat(created.json().get("name").asString()).isEqualTo("Acme Rockets");
        assertThat(created.json().get("personal").asBoolean()).isFalse();
        assertThat(created.json().get("role").asString()).isEqualTo("owner");
        assertThat(created.json().get("created_at").asString()).endsWith("Z");

        Http.Response read = http.get(org(orgId)).bearer(owner.token()).send();
        assertThat(read.status()).isEqualTo(200);
        assertThat(read.json().get("name").asString()).isEqualTo("Acme Rockets");

        Http.Response renamed = http.patch(org(orgId))
                .bearer(owner.token())
                .json("name", "Acme Spaceships")
                .send();
        assertThat(renamed.status()).as(renamed.toString()).isEqualTo(200);
        assertThat(renamed.json().get("name").asString()).isEqualTo("Acme Spaceships");
        assertThat(http.get(ORGS).bearer(owner.token()).send().json().get("data"))
                .anySatisfy(o -> assertThat(o.get("name").asString()).isEqualTo("Acme Spaceships"));

        Http.Response deleted = http.delete(org(orgId)).bearer(owner.token()).send();
        assertThat(deleted.status()).as(deleted.toString()).isEqualTo(204);

        // Gone from every route, and from the read API other modules use.
        assertProblem(http.get(org(orgId)).bearer(owner.token()).send(), 404, "not_found");
        assertProblem(
                http.patch(org(orgId))
                        .bearer(owner.token())
                        .json("name", "Back")
                        .send(),
                404,
                "not_found");
        assertProblem(http.delete(org(orgId)).bearer(owner.token()).send(), 404, "not_found");
        assertProblem(http.get(members(orgId)).bearer(owner.token()).send(), 404, "not_found");
        assertProblem(invite(owner, orgId, "late@example.com", "member"), 404, "not_found");
        assertProblem(http.get(invitations(orgId)).bearer(owner.token()).send(), 404, "not_found");
        assertProblem(
                http.post(org(orgId) + "/transfer-ownership")
                        .bearer(owner.token())
                        .json("user_id", owner.id().toString())
                        .send(),
                404,
                "not_found");
        assertThat(http.get(ORGS).bearer(owner.token()).send().json().get("data"))
                .noneSatisfy(o -> assertThat(o.get("id").asString()).isEqualTo(orgId.toString()));
        assertThat(organizations.exists(orgId)).isFalse();
        assertThat(organizations.roleOf(orgId, owner.id())).isEmpty();
    }

    @Test
    void aPersonalOrganizationCanBeRenamedButNotDeletedSharedOrTransferred() {
        User ada = user("own");
        UUID personal = UUID.fromString(http.get(ORGS)
                .bearer(ada.token())
                .send()
                .json()
                .get("data")
                .get(0)
                .get("id")
                .asString());

        Http.Response renamed = http.patch(org(personal))
                .bearer(ada.token())
                .json("name", "Ada's lab")
                .send();
        assertThat(renamed.status()).as(renamed.toString()).isEqualTo(200);
        assertThat(renamed.json().get("personal").asBoolean()).isTrue();

        assertProblem(http.delete(org(personal)).bearer(ada.token()).send(), 409, "personal_organization");
        assertProblem(invite(ada, personal, "friend@example.com", "member"), 409, "personal_organization");
        assertProblem(
                http.post(org(personal) + "/transfer-ownership")
                        .bearer(ada.token())
                        .json("user_id", UUID.randomUUID().toString())
                        .send(),
                409,
                "personal_organization");
        // Its only owner can neither step down nor leave.
        assertProblem(
                http.patch(member(personal, ada.id()))
                        .bearer(ada.token())
                        .json("role", "admin")
                        .send(),
                409,
                "last_owner");
        assertProblem(
                http.delete(member(personal, ada.id())).bearer(ada.token()).send(), 409, "last_owner");
        assertThat(http.get(org(personal)).bearer(ada.token()).send().status()).isEqualTo(200);
    }

    @Test
    void eachChangePublishesItsEventCarryingTheRequestThatMadeIt() {
        User owner = user("events");
        Http.Response created = http.post(ORGS)
                .bearer(owner.token())
                .header("X-Request-Id", "org-events-create")
                .json("name", "Evented")
                .send();
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        UUID orgId = UUID.fromString(created.json().get("id").asString());
        http.patch(org(orgId))
                .bearer(owner.token())
                .header("X-Request-Id", "org-events-rename")
                .json("name", "Evented Inc")
                .send();
        http.delete(org(orgId))
                .bearer(owner.token())
                .header("X-Request-Id", "org-events-delete")
                .send();

        List<OrganizationEvent> mine = published(OrganizationEvent.class).stream()
                .filter(e -> e.orgId().equals(orgId))
                .toList();
        assertThat(mine)
                .extracting(e -> e.getClass().getSimpleName())
                .containsExactly("OrganizationCreated", "OrganizationRenamed", "OrganizationDeleted");
        assertThat(mine)
                .extracting(OrganizationEvent::requestId)
                .containsExactly("org-events-create", "org-events-rename", "org-events-delete");
        assertThat(mine).extracting(OrganizationEvent::actorId).containsOnly(owner.id());
        OrganizationRenamed renamed = (OrganizationRenamed) mine.get(1);
        assertThat(renamed.previousName()).isEqualTo("Evented");
        assertThat(renamed.name()).isEqualTo("Evented Inc");
    }

    @Test
    void theListPagesWithACursor() {
        User owner = user("pages");
        for (String name : List.of("One", "Two", "Three")) createOrg(owner, name);

        List<String> names = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            Http.Response page = http.get(ORGS + "?limit=2" + (cursor == null ? "" : "&cursor=" + cursor))
                    .bearer(owner.token())
                    .send();
            assertThat(page.status()).as(page.toString()).isEqualTo(200);
            assertThat(page.json().get("data").size()).isLessThanOrEqualTo(2);
            page.json().get("data").forEach(o -> names.add(o.get("name").asString()));
            cursor = page.json().has("next_cursor")
                    ? page.json().get("next_cursor").asString()
                    : null;
            pages++;
        } while (cursor != null);
        assertThat(names).containsExactly("Test User", "One", "Two", "Three");
        assertThat(pages).isEqualTo(2);
    }
}
