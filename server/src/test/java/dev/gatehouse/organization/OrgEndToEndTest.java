package dev.gatehouse.organization;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.support.EndToEndTest;
import dev.gatehouse.support.Http;
import dev.gatehouse.support.TestAccounts;
import dev.gatehouse.support.TestClock;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.modulith.test.AssertablePublishedEvents;
import org.springframework.modulith.test.PublishedEventsExtension;

/**
 * End-to-end tests of organizations: real accounts, real invitations read from the emails GreenMail receives.
 * {@link #events} holds the events the app published during the current test (Spring Modulith's published
 * events, from every thread, from this class's first {@code @BeforeEach} on).
 */
@ExtendWith(PublishedEventsExtension.class)
abstract class OrgEndToEndTest extends EndToEndTest {

    static final String ORGS = "/api/v1/orgs";

    @Autowired
    JdbcClient db;

    @Autowired
    TestClock clock;

    @Autowired
    TestSeats seats;

    AssertablePublishedEvents events;

    TestAccounts accounts;

    /** A signed-in user. */
    record User(String email, String token, UUID id) {}

    @BeforeEach
    void accounts(AssertablePublishedEvents events) {
        this.events = events;
        accounts = new TestAccounts(http, SMTP);
    }

    /** The events of this type published during the test, oldest first. */
    <T> List<T> published(Class<T> type) {
        return StreamSupport.stream(events.ofType(type).spliterator(), false).toList();
    }

    @AfterEach
    void resetClockAndSeats() {
        clock.reset();
        seats.clear();
    }

    User user(String prefix) {
        return signIn(accounts.create(prefix));
    }

    /** Registers, verifies and signs in with this exact address. */
    User user(String prefix, String email) {
        accounts.register(email);
        accounts.verify(email);
        return signIn(accounts.login(email, TestAccounts.PASSWORD));
    }

    /** A new sign-in (fresh access token), e.g. after the clock moved past the old token's expiry. */
    User signInAgain(User u) {
        return signIn(accounts.login(u.email(), TestAccounts.PASSWORD));
    }

    private User signIn(TestAccounts.Account a) {
        Http.Response me = http.get("/api/v1/me").bearer(a.accessToken()).send();
        assertThat(me.status()).as(me.toString()).isEqualTo(200);
        return new User(
                a.email(), a.accessToken(), UUID.fromString(me.json().get("id").asString()));
    }

    UUID createOrg(User owner, String name) {
        Http.Response r =
                http.post(ORGS).bearer(owner.token()).json("name", name).send();
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
        return UUID.fromString(r.json().get("id").asString());
    }

    static String org(UUID orgId) {
        return ORGS + "/" + orgId;
    }

    static String members(UUID orgId) {
        return org(orgId) + "/members";
    }

    static String member(UUID orgId, UUID userId) {
        return members(orgId) + "/" + userId;
    }

    static String invitations(UUID orgId) {
        return org(orgId) + "/invitations";
    }

    static String apiKeys(UUID orgId) {
        return org(orgId) + "/api-keys";
    }

    Http.Response invite(User by, UUID orgId, String email, String role) {
        return http.post(members(orgId))
                .bearer(by.token())
                .json("email", email, "role", role)
                .send();
    }

    /** Invites and returns the token from the email, waiting for that email (the n-th to the address). */
    String invitedToken(User by, UUID orgId, String email, String role) {
        int before = accounts.mailTo(email).length;
        Http.Response r = invite(by, orgId, email, role);
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
        awaitMailCount(email, before + 1);
        return accounts.awaitToken(email, "accept-invitation");
    }

    Http.Response accept(User who, String token) {
        return http.post("/api/v1/invitations/" + token + "/accept")
                .bearer(who.token())
                .send();
    }

    /** Makes the user a member with the role through a real invitation. */
    void join(User owner, UUID orgId, User who, String role) {
        Http.Response r = accept(who, invitedToken(owner, orgId, who.email(), role));
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertThat(r.json().get("role").asString()).isEqualTo(role);
    }

    String roleOf(UUID orgId, UUID userId) {
        return db.sql("select role from org_members where org_id = :org and user_id = :user")
                .param("org", orgId)
                .param("user", userId)
                .query(String.class)
                .optional()
                .orElse(null);
    }

    int owners(UUID orgId) {
        return db.sql("select count(*) from org_members where org_id = :org and role = 'owner'")
                .param("org", orgId)
                .query(Integer.class)
                .single();
    }

    void awaitMailCount(String email, int count) {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (accounts.mailTo(email).length < count && System.nanoTime() < deadline) {
            SMTP.waitForIncomingEmail(200, SMTP.getReceivedMessages().length + 1);
        }
        assertThat(accounts.mailTo(email)).hasSizeGreaterThanOrEqualTo(count);
    }

    static void assertProblem(Http.Response r, int status, String code) {
        assertThat(r.status()).as(r.toString()).isEqualTo(status);
        assertThat(r.header("Content-Type")).as(r.toString()).startsWith("application/problem+json");
        assertThat(r.code()).as(r.toString()).isEqualTo(code);
    }
}
