package dev.gatehouse.subscription;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.support.EndToEndTest;
import dev.gatehouse.support.Http;
import dev.gatehouse.support.TestAccounts;
import dev.gatehouse.support.TestClock;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/** Shared helpers of the subscription and entitlement end-to-end tests: real accounts, organizations, keys. */
abstract class SubscriptionEndToEndTest extends EndToEndTest {

    static final String CHECK = "/api/v1/entitlements/check";

    @Autowired
    JdbcClient db;

    @Autowired
    TestClock clock;

    @Autowired
    SubscriptionRenewals renewals;

    TestAccounts accounts;

    /** A signed-in user and their personal organization. */
    record User(String email, String token, UUID id, UUID personalOrg) {}

    @BeforeEach
    void accounts() {
        accounts = new TestAccounts(http, SMTP);
    }

    @AfterEach
    void resetClock() {
        clock.reset();
    }

    User user(String prefix) {
        TestAccounts.Account a = accounts.create(prefix);
        Http.Response me = http.get("/api/v1/me").bearer(a.accessToken()).send();
        Http.Response orgs = http.get("/api/v1/orgs").bearer(a.accessToken()).send();
        JsonNode personal = orgs.json()
                .get("data")
                .valueStream()
                .filter(o -> o.get("personal").asBoolean())
                .findFirst()
                .orElseThrow();
        return new User(
                a.email(),
                a.accessToken(),
                UUID.fromString(me.json().get("id").asString()),
                UUID.fromString(personal.get("id").asString()));
    }

    UUID createOrg(User owner, String name) {
        Http.Response r = http.post("/api/v1/orgs")
                .bearer(owner.token())
                .json("name", name)
                .send();
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
        return UUID.fromString(r.json().get("id").asString());
    }

    /** Makes the user a member with the role through a real invitation. */
    void join(User owner, UUID orgId, User who, String role) {
        int before = accounts.mailTo(who.email()).length;
        Http.Response invited = http.post("/api/v1/orgs/" + orgId + "/members")
                .bearer(owner.token())
                .json("email", who.email(), "role", role)
                .send();
        assertThat(invited.status()).as(invited.toString()).isEqualTo(201);
        dev.gatehouse.support.Poll.untilTrue(
                Duration.ofSeconds(20), "invitation email", () -> accounts.mailTo(who.email()).length > before);
        String token = accounts.awaitToken(who.email(), "accept-invitation");
        Http.Response accepted = http.post("/api/v1/invitations/" + token + "/accept")
                .bearer(who.token())
                .send();
        assertThat(accepted.status()).as(accepted.toString()).isEqualTo(200);
    }

    /** The user signed in again: after the clock moved past the period, their earlier access token has expired. */
    User signedInAgain(User u) {
        String token = accounts.login(u.email(), TestAccounts.PASSWORD).accessToken();
        return new User(u.email(), token, u.id(), u.personalOrg());
    }

    String admin() {
        return accounts.admin().accessToken();
    }

    /** A new service key's secret, made by the superadmin. */
    String serviceKey() {
        Http.Response r = http.post("/api/v1/admin/service-keys")
                .bearer(admin())
                .json("name", "backend " + UUID.randomUUID().toString().substring(0, 8))
                .send();
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
        return r.json().get("key").asString();
    }

    static String subscription(UUID orgId) {
        return "/api/v1/orgs/" + orgId + "/subscription";
    }

    static String override(UUID orgId) {
        return "/api/v1/admin/orgs/" + orgId + "/subscription/override";
    }

    Http.Response check(Http client, String bearer, UUID orgId, String feature) {
        return client.post(CHECK)
                .bearer(bearer)
                .json("org", orgId.toString(), "feature", feature)
                .send();
    }

    Http.Response check(String bearer, UUID orgId, String feature) {
        return check(http, bearer, orgId, feature);
    }

    Http.Response overrideTo(String adminToken, UUID orgId, String plan) {
        return http.post(override(orgId))
                .bearer(adminToken)
                .json("plan", plan, "reason", "test: " + plan)
                .send();
    }

    JsonNode subscriptionOf(User member, UUID orgId) {
        Http.Response r = http.get(subscription(orgId)).bearer(member.token()).send();
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        return r.json();
    }

    static void assertProblem(Http.Response r, int status, String code) {
        assertThat(r.status()).as(r.toString()).isEqualTo(status);
        assertThat(r.header("Content-Type")).as(r.toString()).startsWith("application/problem+json");
        assertThat(r.code()).as(r.toString()).isEqualTo(code);
    }
}
