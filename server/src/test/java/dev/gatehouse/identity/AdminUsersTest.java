package dev.gatehouse.identity;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.support.EndToEndTest;
import dev.gatehouse.support.Http;
import dev.gatehouse.support.TestAccounts;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Admin actions on accounts, over HTTP: suspend/activate, sessions, roles, impersonation, search. */
class AdminUsersTest extends EndToEndTest {

    private TestAccounts accounts;
    private TestAccounts.Account superadmin;

    @BeforeEach
    void setUp() {
        accounts = new TestAccounts(http, SMTP);
        superadmin = accounts.admin();
    }

    private String idOf(TestAccounts.Account a) {
        return http.get("/api/v1/me")
                .bearer(a.accessToken())
                .send()
                .json()
                .get("id")
                .asString();
    }

    /** A fresh account given platform roles by the superadmin, signed in again so its token carries them. */
    private TestAccounts.Account withRoles(String prefix, String... roles) {
        TestAccounts.Account a = accounts.create(prefix);
        Http.Response r = http.put("/api/v1/admin/users/" + idOf(a) + "/roles")
                .bearer(superadmin.accessToken())
                .json("roles", List.of(roles))
                .send();
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        return accounts.login(a.email(), TestAccounts.PASSWORD);
    }

    @Test
    void suspensionEndsSessionsAndBlocksSignInUntilActivated() {
        TestAccounts.Account admin = withRoles("admin", "user", "admin");
        TestAccounts.Account user = accounts.create("suspended");
        String id = idOf(user);

        Http.Response suspended = http.post("/api/v1/admin/users/" + id + "/suspend")
                .bearer(admin.accessToken())
                .send();
        assertThat(suspended.status()).as(suspended.toString()).isEqualTo(200);
        assertThat(suspended.json().get("status").asString()).isEqualTo("suspended");

        assertThat(http.get("/api/v1/me").bearer(user.accessToken()).send().code())
                .isEqualTo("session_revoked");
        Http.Response refresh = http.post("/api/v1/auth/token/refresh")
                .json("refresh_token", user.refreshToken())
                .send();
        assertThat(refresh.status()).isBetween(400, 403);
        Http.Response login = http.post("/api/v1/auth/login")
                .json("email", user.email(), "password", TestAccounts.PASSWORD)
                .send();
        assertThat(login.status()).isEqualTo(403);
        assertThat(login.code()).isEqualTo("account_suspended");

        Http.Response activated = http.post("/api/v1/admin/users/" + id + "/activate")
                .bearer(admin.accessToken())
                .send();
        assertThat(activated.json().get("status").asString()).isEqualTo("active");
        accounts.login(user.email(), TestAccounts.PASSWORD);
    }

    @Test
    void adminsCannotSuspendSuperadminsOrThemselves() {
        TestAccounts.Account admin = withRoles("admin-self", "user", "admin");
        String superadminId = idOf(superadmin);
        Http.Response r = http.post("/api/v1/admin/users/" + superadminId + "/suspend")
                .bearer(admin.accessToken())
                .send();
        assertThat(r.status()).isEqualTo(403);
        Http.Response self = http.post("/api/v1/admin/users/" + idOf(admin) + "/suspend")
                .bearer(admin.accessToken())
                .send();
        assertThat(self.status()).isEqualTo(409);
        assertThat(self.code()).isEqualTo("not_on_yourself");
    }

    @Test
    void impersonationTokenCarriesTheActClaimAndIsVisibleToTheUser() {
        TestAccounts.Account admin = withRoles("impersonator", "user", "admin");
        String adminId = idOf(admin);
        TestAccounts.Account user = accounts.create("impersonated");
        String userId = idOf(user);

        Http.Response r = http.post("/api/v1/admin/users/" + userId + "/impersonate")
                .bearer(admin.accessToken())
                .send();
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        String token = r.json().get("access_token").asString();
        assertThat(r.json().get("expires_in").asLong()).isEqualTo(300);

        JsonNode claims = Http.JSON.readTree(
                new String(Base64.getUrlDecoder().decode(token.split("\\.")[1]), StandardCharsets.UTF_8));
        assertThat(claims.get("sub").asString()).isEqualTo(userId);
        assertThat(claims.get("act").get("sub").asString()).isEqualTo(adminId);
        assertThat(claims.get("exp").asLong() - claims.get("iat").asLong()).isEqualTo(300);

        Http.Response me = http.get("/api/v1/me").bearer(token).send();
        assertThat(me.status()).isEqualTo(200);
        assertThat(me.json().get("id").asString()).isEqualTo(userId);

        // The user sees the impersonation among their sessions, marked with the admin.
        JsonNode sessions = http.get("/api/v1/me/sessions")
                .bearer(user.accessToken())
                .send()
                .json()
                .get("data");
        List<String> impersonators = new ArrayList<>();
        sessions.forEach(s -> {
            if (s.hasNonNull("impersonated_by"))
                impersonators.add(s.get("impersonated_by").asString());
        });
        assertThat(impersonators).containsExactly(adminId);

        // Credentials cannot be changed under impersonation.
        Http.Response pw = http.post("/api/v1/me/password")
                .bearer(token)
                .json("current_password", TestAccounts.PASSWORD, "new_password", "Another long pass phrase 9 owls")
                .send();
        assertThat(pw.status()).isEqualTo(403);
        assertThat(pw.code()).isEqualTo("impersonation_forbidden");

        // Every request under impersonation is in the audit log with both ids, and so is its start.
        String audit = "/api/v1/admin/audit-events?actor=" + userId + "&action=impersonation.request";
        JsonNode trail =
                http.get(audit).bearer(superadmin.accessToken()).send().json().get("data");
        assertThat(trail).isNotEmpty();
        trail.forEach(e -> {
            assertThat(e.get("impersonator_id").asString()).isEqualTo(adminId);
            assertThat(e.get("actor_id").asString()).isEqualTo(userId);
        });
        assertThat(trail.findValuesAsString("path")).contains("/api/v1/me", "/api/v1/me/password");
        JsonNode started = http.get(
                        "/api/v1/admin/audit-events?actor=" + adminId + "&action=user.impersonation_started")
                .bearer(superadmin.accessToken())
                .send()
                .json()
                .get("data");
        assertThat(started).hasSize(1);
        assertThat(started.get(0).get("target_id").asString()).isEqualTo(userId);

        // Nor can an impersonation token start another one, whatever roles it carries.
        TestAccounts.Account other = accounts.create("impersonated-2");
        Http.Response chained = http.post("/api/v1/admin/users/" + idOf(other) + "/impersonate")
                .bearer(token)
                .send();
        assertThat(chained.status()).isEqualTo(403);
        // Refused requests under impersonation are on record too.
        JsonNode refused =
                http.get(audit).bearer(superadmin.accessToken()).send().json().get("data");
        List<String> refusedPaths = new ArrayList<>();
        refused.forEach(e -> {
            if (e.get("details").get("status").asInt() == 403)
                refusedPaths.add(e.get("details").get("path").asString());
        });
        assertThat(refusedPaths).contains("/api/v1/admin/users/" + idOf(other) + "/impersonate");
    }

    @Test
    void adminsAndSuperadminsCannotBeImpersonated() {
        TestAccounts.Account admin = withRoles("imp-admin", "user", "admin");
        TestAccounts.Account otherAdmin = withRoles("imp-admin-2", "user", "admin");
        for (String target : List.of(idOf(otherAdmin), idOf(superadmin))) {
            Http.Response r = http.post("/api/v1/admin/users/" + target + "/impersonate")
                    .bearer(admin.accessToken())
                    .send();
            assertThat(r.status()).isEqualTo(403);
            assertThat(r.code()).isEqualTo("impersonation_not_allowed");
        }
    }

    @Test
    void rolesChangeOnlyBySuperadminAndEndSessions() {
        TestAccounts.Account admin = withRoles("roles-admin", "user", "admin");
        TestAccounts.Account user = accounts.create("roles-user");
        String id = idOf(user);
        Http.Response byAdmin = http.put("/api/v1/admin/users/" + id + "/roles")
                .bearer(admin.accessToken())
                .json("roles", List.of("user", "admin"))
                .send();
        assertThat(byAdmin.status()).isEqualTo(403);

        Http.Response bySuper = http.put("/api/v1/admin/users/" + id + "/roles")
                .bearer(superadmin.accessToken())
                .json("roles", List.of("user", "support"))
                .send();
        assertThat(bySuper.status()).isEqualTo(200);
        assertThat(http.get("/api/v1/me").bearer(user.accessToken()).send().code())
                .isEqualTo("session_revoked");
        TestAccounts.Account again = accounts.login(user.email(), TestAccounts.PASSWORD);
        Set<String> roles = new HashSet<>();
        http.get("/api/v1/me")
                .bearer(again.accessToken())
                .send()
                .json()
                .get("roles")
                .forEach(n -> roles.add(n.asString()));
        assertThat(roles).containsExactlyInAnyOrder("user", "support");

        for (String body : List.of(
                "{\"roles\":[]}",
                "{\"roles\":[\"owner\"]}",
                "{\"roles\":\"admin\"}",
                "{}",
                "{\"roles\":[\"user\"],\"x\":1}")) {
            Http.Response bad = http.put("/api/v1/admin/users/" + id + "/roles")
                    .bearer(superadmin.accessToken())
                    .header("Content-Type", "application/json")
                    .body(body)
                    .send();
            assertThat(bad.status()).as(body).isBetween(400, 422);
        }
    }

    @Test
    void usersWithoutTheRoleGet403AndAnonymousGet401() {
        TestAccounts.Account plain = accounts.create("plain");
        TestAccounts.Account support = withRoles("support", "user", "support");
        String target = idOf(accounts.create("target"));
        record Route(String method, String path, Set<String> allowed) {}
        List<Route> routes = List.of(
                new Route("GET", "/api/v1/admin/users", Set.of("support", "admin")),
                new Route("GET", "/api/v1/admin/users/" + target, Set.of("support", "admin")),
                new Route("POST", "/api/v1/admin/users/" + target + "/suspend", Set.of("admin")),
                new Route("POST", "/api/v1/admin/users/" + target + "/activate", Set.of("admin")),
                new Route("POST", "/api/v1/admin/users/" + target + "/sessions/revoke", Set.of("admin")),
                new Route("POST", "/api/v1/admin/users/" + target + "/impersonate", Set.of("admin")),
                new Route("PUT", "/api/v1/admin/users/" + target + "/roles", Set.of()));
        for (Route route : routes) {
            for (var caller : List.of(java.util.Map.entry("user", plain), java.util.Map.entry("support", support))) {
                Http.Response r =
                        send(route.method(), route.path(), caller.getValue().accessToken());
                if (route.allowed().contains(caller.getKey())) {
                    assertThat(r.status()).as(route + " as " + caller.getKey()).isLessThan(400);
                } else {
                    assertThat(r.status()).as(route + " as " + caller.getKey()).isEqualTo(403);
                }
            }
            assertThat(send(route.method(), route.path(), null).status())
                    .as(route + " anonymous")
                    .isEqualTo(401);
        }
    }

    private Http.Response send(String method, String path, String token) {
        Http.Request request = switch (method) {
            case "GET" -> http.get(path);
            case "POST" -> http.post(path);
            case "PUT" -> http.put(path).json("roles", List.of("user"));
            default -> throw new IllegalArgumentException(method);
        };
        return token == null ? request.send() : request.bearer(token).send();
    }

    @Test
    void searchPagesThroughEveryMatchExactlyOnce() {
        String marker = "page" + System.nanoTime();
        Set<String> created = new HashSet<>();
        for (int i = 0; i < 7; i++) created.add(accounts.create(marker).email());
        Set<String> seen = new HashSet<>();
        String cursor = null;
        int pages = 0;
        do {
            String q = "/api/v1/admin/users?limit=3&email=" + marker + (cursor == null ? "" : "&cursor=" + cursor);
            Http.Response r = http.get(q).bearer(superadmin.accessToken()).send();
            assertThat(r.status()).as(r.toString()).isEqualTo(200);
            r.json()
                    .get("data")
                    .forEach(
                            u -> assertThat(seen.add(u.get("email").asString())).isTrue());
            JsonNode next = r.json().get("next_cursor");
            cursor = next == null || next.isNull() ? null : next.asString();
            pages++;
        } while (cursor != null);
        assertThat(seen).isEqualTo(created);
        assertThat(pages).isEqualTo(3);

        for (String bad : List.of(
                "?limit=0", "?limit=201", "?limit=x", "?cursor=!!!", "?cursor=bm9wZQ", "?status=gone", "?role=owner")) {
            Http.Response r = http.get("/api/v1/admin/users" + bad)
                    .bearer(superadmin.accessToken())
                    .send();
            assertThat(r.status()).as(bad).isEqualTo(400);
        }
        assertThat(http.get("/api/v1/admin/users/not-a-uuid")
                        .bearer(superadmin.accessToken())
                        .send()
                        .status())
                .isEqualTo(400);
        assertThat(http.get("/api/v1/admin/users/" + java.util.UUID.randomUUID())
                        .bearer(superadmin.accessToken())
                        .send()
                        .status())
                .isEqualTo(404);
    }

    @Test
    void concurrentSuspendAndActivateLeaveAConsistentUser() throws Exception {
        TestAccounts.Account admin = withRoles("race-admin", "user", "admin");
        String id = idOf(accounts.create("race"));
        Set<Integer> statuses = ConcurrentHashMap.newKeySet();
        try (ExecutorService pool = Executors.newFixedThreadPool(16)) {
            List<Future<?>> futures = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                String action = i % 2 == 0 ? "suspend" : "activate";
                futures.add(pool.submit(() -> statuses.add(http.post("/api/v1/admin/users/" + id + "/" + action)
                        .bearer(admin.accessToken())
                        .send()
                        .status())));
            }
            for (Future<?> f : futures) f.get();
        }
        assertThat(statuses).containsOnly(200);
        http.post("/api/v1/admin/users/" + id + "/suspend")
                .bearer(admin.accessToken())
                .send();
        JsonNode detail = http.get("/api/v1/admin/users/" + id)
                .bearer(admin.accessToken())
                .send()
                .json();
        assertThat(detail.get("user").get("status").asString()).isEqualTo("suspended");
        assertThat(detail.get("sessions")).isEmpty();
    }
}
