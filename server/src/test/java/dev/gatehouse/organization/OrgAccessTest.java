package dev.gatehouse.organization;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.support.Http;
import dev.gatehouse.support.TestAccounts;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

/**
 * Who may do what: non-members get 404 on every route of an organization whatever they send (its existence is
 * not revealed), and each role without a permission gets 403. The 403 walk is derived from {@link OrgPermission}'s table itself,
 * so a route and the table cannot drift apart; {@link OrgPermissionTest} checks the table by hand.
 */
class OrgAccessTest extends OrgEndToEndTest {

    /** One team organization with a member of every role, a target member, an open invitation and an API key. */
    record Team(UUID orgId, Map<OrgRole, User> byRole, User target, UUID invitationId, UUID apiKeyId) {}

    /** Built once for the class: every request below is refused, so nothing changes it. */
    private static Team team;

    @Autowired
    OrganizationDirectory organizations;

    @Autowired
    @Qualifier("requestMappingHandlerMapping")
    RequestMappingHandlerMapping mappings;

    @BeforeEach
    void buildTeamOnce() {
        if (team != null) return;
        User owner = user("t-owner");
        UUID orgId = createOrg(owner, "Walked");
        Map<OrgRole, User> byRole = new EnumMap<>(OrgRole.class);
        byRole.put(OrgRole.OWNER, owner);
        for (OrgRole role : List.of(OrgRole.ADMIN, OrgRole.BILLING, OrgRole.MEMBER)) {
            User u = user("t-" + role.wire());
            join(owner, orgId, u, role.wire());
            byRole.put(role, u);
        }
        User target = user("t-target");
        join(owner, orgId, target, "member");
        invite(owner, orgId, TestAccounts.uniqueEmail("t-pending"), "member");
        UUID invitationId = UUID.fromString(http.get(invitations(orgId))
                .bearer(owner.token())
                .send()
                .json()
                .get("data")
                .get(0)
                .get("id")
                .asString());
        Http.Response key = http.post(apiKeys(orgId))
                .bearer(owner.token())
                .json("name", "Walked key")
                .send();
        assertThat(key.status()).as(key.toString()).isEqualTo(201);
        team = new Team(
                orgId,
                byRole,
                target,
                invitationId,
                UUID.fromString(key.json().get("id").asString()));
    }

    /**
     * The requests that need the permission, as the caller would send them; empty for a permission no route
     * needs yet ({@code billing.manage} belongs to the billing module). Exhaustive over the table: a new
     * permission does not compile until it has its requests here.
     */
    private List<Http.Request> requestsNeeding(OrgPermission permission, User caller) {
        UUID orgId = team.orgId();
        UUID target = team.target().id();
        UUID owner = team.byRole().get(OrgRole.OWNER).id();
        List<Http.Request> requests = switch (permission) {
            case ORG_READ -> List.of(http.get(org(orgId)));
            case ORG_UPDATE -> List.of(http.patch(org(orgId)).json("name", "Taken over"));
            case ORG_DELETE -> List.of(http.delete(org(orgId)));
            case MEMBERS_READ -> List.of(http.get(members(orgId)));
            case MEMBERS_INVITE ->
                List.of(
                        http.post(members(orgId)).json("email", "walk@example.com", "role", "member"),
                        http.get(invitations(orgId)),
                        http.delete(invitations(orgId) + "/" + team.invitationId()));
            case MEMBERS_CHANGE_ROLE ->
                List.of(http.patch(member(orgId, target)).json("role", "billing"));
            case MEMBERS_MANAGE_OWNERS ->
                List.of(
                        http.patch(member(orgId, target)).json("role", "owner"),
                        http.patch(member(orgId, owner)).json("role", "member"),
                        http.delete(member(orgId, owner)),
                        http.post(members(orgId)).json("email", "boss@example.com", "role", "owner"));
            case MEMBERS_REMOVE -> List.of(http.delete(member(orgId, target)));
            case MEMBERS_LEAVE -> List.of(http.delete(member(orgId, caller.id())));
            case OWNERSHIP_TRANSFER ->
                List.of(http.post(org(orgId) + "/transfer-ownership").json("user_id", target.toString()));
            case BILLING_MANAGE -> List.of();
            case API_KEYS_READ -> List.of(http.get(apiKeys(orgId)));
            case API_KEYS_MANAGE ->
                List.of(
                        http.post(apiKeys(orgId)).json("name", "Walk-in key"),
                        http.delete(apiKeys(orgId) + "/" + team.apiKeyId()));
        };
        return requests.stream().map(r -> r.bearer(caller.token())).toList();
    }

    @Test
    void everyRoleWithoutAPermissionIsForbiddenEverywhereItIsNeeded() {
        int refused = 0;
        for (OrgPermission permission : OrgPermission.values()) {
            for (OrgRole role : OrgRole.values()) {
                User caller = team.byRole().get(role);
                // The read API other modules use answers from the same table.
                assertThat(organizations.permits(team.orgId(), caller.id(), permission))
                        .as("%s for %s", permission.key(), role.wire())
                        .isEqualTo(permission.permits(role));
                if (permission.permits(role)) continue;
                for (Http.Request request : requestsNeeding(permission, caller)) {
                    Http.Response r = request.send();
                    assertProblem(r, 403, "forbidden");
                    // The problem names a permission the role lacks: this one, or a more basic one checked first.
                    String named = r.json().get("permission").asString();
                    assertThat(OrgPermission.values())
                            .filteredOn(p -> p.key().equals(named))
                            .singleElement()
                            .matches(p -> !p.permits(role), "a permission " + role.wire() + " lacks");
                    refused++;
                }
            }
        }
        // Hand-counted from the table and the requests above: admin 6, billing 14, member 14, owner none.
        assertThat(refused).isEqualTo(34);
        assertUnchanged();
    }

    @Test
    void rolesWithThePermissionGetThrough() {
        User admin = team.byRole().get(OrgRole.ADMIN);
        User billing = team.byRole().get(OrgRole.BILLING);
        User member = team.byRole().get(OrgRole.MEMBER);
        assertThat(http.get(org(team.orgId())).bearer(member.token()).send().status())
                .isEqualTo(200);
        assertThat(http.get(members(team.orgId()))
                        .bearer(billing.token())
                        .send()
                        .status())
                .isEqualTo(200);
        assertThat(http.get(invitations(team.orgId()))
                        .bearer(admin.token())
                        .send()
                        .status())
                .isEqualTo(200);
        Http.Response renamed = http.patch(org(team.orgId()))
                .bearer(admin.token())
                .json("name", "Walked")
                .send();
        assertThat(renamed.status()).as(renamed.toString()).isEqualTo(200);
        assertThat(renamed.json().get("role").asString()).isEqualTo("admin");
        assertThat(http.get(apiKeys(team.orgId())).bearer(member.token()).send().status())
                .isEqualTo(200);
        assertThat(organizations.permits(team.orgId(), billing.id(), OrgPermission.BILLING_MANAGE))
                .isTrue();
        assertThat(organizations.roleOf(team.orgId(), billing.id())).contains(OrgRole.BILLING);
    }

    @Test
    void aMemberOfAnotherOrganizationGets404OnEveryRouteOfThisOne() {
        User outsider = user("idor");
        UUID theirs = createOrg(outsider, "Elsewhere");
        UUID orgId = team.orgId();
        UUID owner = team.byRole().get(OrgRole.OWNER).id();
        List<Http.Request> everyRoute = List.of(
                http.get(org(orgId)),
                http.patch(org(orgId)).json("name", "Mine now"),
                http.delete(org(orgId)),
                http.get(members(orgId)),
                http.post(members(orgId)).json("email", outsider.email(), "role", "owner"),
                http.patch(member(orgId, owner)).json("role", "member"),
                http.patch(member(orgId, outsider.id())).json("role", "owner"),
                http.delete(member(orgId, owner)),
                http.delete(member(orgId, outsider.id())),
                http.post(org(orgId) + "/transfer-ownership")
                        .json("user_id", outsider.id().toString()),
                http.get(invitations(orgId)),
                http.delete(invitations(orgId) + "/" + team.invitationId()),
                http.get(apiKeys(orgId)),
                http.post(apiKeys(orgId)).json("name", "Mine now"),
                http.delete(apiKeys(orgId) + "/" + team.apiKeyId()));
        String detailForUnknown = http.get(org(UUID.randomUUID()))
                .bearer(outsider.token())
                .send()
                .json()
                .get("detail")
                .asString();
        for (Http.Request request : everyRoute) {
            Http.Response r = request.bearer(outsider.token()).send();
            assertProblem(r, 404, "not_found");
            // Word for word what an organization that does not exist gets.
            assertThat(r.json().get("detail").asString()).isEqualTo(detailForUnknown);
        }
        // The outsider's own organization works, and nobody else learns of it either.
        assertThat(http.get(org(theirs)).bearer(outsider.token()).send().status())
                .isEqualTo(200);
        assertProblem(
                http.get(org(theirs))
                        .bearer(team.byRole().get(OrgRole.OWNER).token())
                        .send(),
                404,
                "not_found");
        assertThat(organizations.roleOf(orgId, outsider.id())).isEmpty();
        assertThat(organizations.permits(orgId, outsider.id(), OrgPermission.ORG_READ))
                .isFalse();
        assertUnchanged();
    }

    /**
     * Every member route ({@code signed_in}) with {@code {org}} in its path, whatever module serves it, read from
     * the running app's own mappings: a route added tomorrow is walked too. Platform routes with an organization
     * in their path (an admin's) are decided by their own permission, which an outsider lacks: 403, as on every
     * admin route.
     */
    private List<Map.Entry<String, String>> orgRoutes() {
        List<Map.Entry<String, String>> routes = new ArrayList<>();
        mappings.getHandlerMethods().forEach((info, method) -> {
            if (dev.gatehouse.platform.Permission.declaredBy(method) != dev.gatehouse.platform.Permission.SIGNED_IN) {
                return;
            }
            for (String pattern : info.getPatternValues()) {
                if (!pattern.contains("{org}")) continue;
                Set<RequestMethod> methods = info.getMethodsCondition().getMethods();
                for (RequestMethod m : methods.isEmpty() ? Set.of(RequestMethod.GET) : methods) {
                    routes.add(Map.entry(m.name(), pattern));
                }
            }
        });
        return routes;
    }

    /** The route's path with this organization and these values for its other variables. */
    private static String path(String pattern, UUID orgId, String other) {
        return pattern.replace("{org}", orgId.toString()).replaceAll("\\{[^}]+}", other);
    }

    @Test
    void anOutsiderGets404OnEveryOrgRouteWhateverTheRequest() {
        User outsider = user("idor-bodies");
        createOrg(outsider, "Elsewhere too");
        UUID orgId = team.orgId();
        String detailForUnknown = http.get(org(UUID.randomUUID()))
                .bearer(outsider.token())
                .send()
                .json()
                .get("detail")
                .asString();
        // Bodies that a member would get 400 (or 413, 415) for, and one that is fine; and ids that exist
        // (a member, the invitation, the key), ids that do not, and ids that are not ids.
        List<String> bodies = List.of(
                "",
                "{}",
                "not json",
                "[]",
                "{\"name\": 12, \"email\": false, \"role\": \"emperor\", \"user_id\": \"x\"}",
                "{\"unknown_field\": true}",
                "{\"name\": \"" + "x".repeat(500) + "\", \"scopes\": [1, 2]}",
                "{\"name\": \"Fine\", \"email\": \"fine@example.com\", \"role\": \"member\"}");
        List<String> others = List.of(
                team.byRole().get(OrgRole.OWNER).id().toString(),
                team.invitationId().toString(),
                team.apiKeyId().toString(),
                UUID.randomUUID().toString(),
                "not-an-id");
        List<Map.Entry<String, String>> routes = orgRoutes();
        // Org, members, invitations and API keys: 13 routes today; more as modules add theirs.
        assertThat(routes).hasSizeGreaterThanOrEqualTo(13);
        int sent = 0;
        for (Map.Entry<String, String> route : routes) {
            String method = route.getKey();
            for (String other : route.getValue().matches(".*\\{(?!org})[^}]+}.*") ? others : List.of("")) {
                String path = path(route.getValue(), orgId, other);
                List<Http.Request> requests = new ArrayList<>();
                if (method.equals("GET") || method.equals("DELETE")) {
                    requests.add(request(method, path));
                    requests.add(request(method, path + "?limit=0&cursor=%21%21"));
                } else {
                    // (A body of a type the route does not take is refused with 415 before any route is chosen,
                    // the same for every organization, so it reveals nothing and is not walked here.)
                    for (String body : bodies)
                        requests.add(request(method, path).body(body));
                }
                for (Http.Request request : requests) {
                    Http.Response r = request.bearer(outsider.token()).send();
                    assertProblem(r, 404, "not_found");
                    assertThat(r.json().get("detail").asString())
                            .as("%s %s", method, path)
                            .isEqualTo(detailForUnknown);
                    sent++;
                }
            }
        }
        assertThat(sent).isGreaterThan(100);
        assertUnchanged();
    }

    private Http.Request request(String method, String path) {
        return switch (method) {
            case "GET" -> http.get(path);
            case "POST" -> http.post(path);
            case "PUT" -> http.put(path);
            case "PATCH" -> http.patch(path);
            case "DELETE" -> http.delete(path);
            default -> throw new IllegalArgumentException(method);
        };
    }

    private void assertUnchanged() {
        UUID orgId = team.orgId();
        assertThat(db.sql("select name from organizations where id = :id and deleted_at is null")
                        .param("id", orgId)
                        .query(String.class)
                        .single())
                .isEqualTo("Walked");
        for (Map.Entry<OrgRole, User> e : team.byRole().entrySet()) {
            assertThat(roleOf(orgId, e.getValue().id())).isEqualTo(e.getKey().wire());
        }
        assertThat(roleOf(orgId, team.target().id())).isEqualTo("member");
        assertThat(db.sql("select count(*) from org_members where org_id = :id")
                        .param("id", orgId)
                        .query(Integer.class)
                        .single())
                .isEqualTo(5);
        assertThat(db.sql("select count(*) from api_keys where org_id = :id and revoked_at is null")
                        .param("id", orgId)
                        .query(Integer.class)
                        .single())
                .as("the one API key, unrevoked, and no other")
                .isEqualTo(1);
        assertThat(db.sql("select count(*) from api_keys where org_id = :id")
                        .param("id", orgId)
                        .query(Integer.class)
                        .single())
                .isEqualTo(1);
        assertThat(db.sql("select count(*) from org_invitations where org_id = :id and revoked_at is null"
                                + " and accepted_at is null")
                        .param("id", orgId)
                        .query(Integer.class)
                        .single())
                .isEqualTo(1);
    }
}
