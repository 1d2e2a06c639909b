package dev.gatehouse.billing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.support.EndToEndTest;
import dev.gatehouse.support.Http;
import dev.gatehouse.support.Poll;
import dev.gatehouse.support.TestAccounts;
import dev.gatehouse.support.TestClock;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * Base of billing's end-to-end tests: the whole app with Stripe configured against {@link FakeStripe} (one per test
 * JVM), webhook secrets mid-rotation ({@value #OLD_SECRET} and {@value #SECRET}), fast event retries, and its own
 * embedded PostgreSQL directory (this is a second application context beside {@link EndToEndTest}'s).
 */
abstract class BillingEndToEndTest extends EndToEndTest {

    static final String SECRET = "whsec_current_test_secret";
    static final String OLD_SECRET = "whsec_previous_test_secret";
    static final String WEBHOOK = "/api/v1/billing/stripe/webhook";

    static final FakeStripe STRIPE;

    static {
        try {
            STRIPE = new FakeStripe();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @DynamicPropertySource
    static void stripe(DynamicPropertyRegistry registry) {
        registry.add("gatehouse.stripe.secret-key", () -> "sk_test_gatehouse_fake");
        registry.add("gatehouse.stripe.webhook-secret", () -> OLD_SECRET + ", " + SECRET);
        registry.add("gatehouse.stripe.api-base", STRIPE::base);
        registry.add("gatehouse.stripe.max-network-retries", () -> "0");
        registry.add("gatehouse.billing.credits.stripe-price-id", () -> "price_credits_pack");
        registry.add("gatehouse.billing.credits.per-pack", () -> "1000");
        registry.add("gatehouse.billing.event-retry.max-attempts", () -> "3");
        registry.add("gatehouse.billing.event-retry.initial-delay", () -> "200ms");
        registry.add("gatehouse.billing.event-retry.max-delay", () -> "400ms");
        // The tests run the dunning job themselves after moving the clock.
        registry.add("gatehouse.billing.dunning.interval", () -> "1h");
        registry.add("gatehouse.embedded-db.data-dir", () -> "target/embedded-postgres-billing");
    }

    @Autowired
    JdbcClient db;

    @Autowired
    TestClock clock;

    @Autowired
    Dunning dunning;

    TestAccounts accounts;

    record User(String email, String token, UUID id, UUID personalOrg) {}

    private static volatile boolean warm;

    @BeforeEach
    void billingSetUp() throws Exception {
        warmUp();
        accounts = new TestAccounts(http, SMTP);
        STRIPE.clock(clock::instant);
        STRIPE.failReads(false);
    }

    /**
     * This context's first requests (the OpenAPI document the contract check reads, a first Argon2 hash) are slow on
     * a cold JIT and a busy machine; take them once, with a patient client, before a test's 30-second requests.
     */
    private void warmUp() throws Exception {
        if (warm) return;
        java.net.http.HttpClient client = java.net.http.HttpClient.newHttpClient();
        for (String path : new String[] {"/api/v1/openapi.json", "/health/ready"}) {
            client.send(
                    java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + port + path))
                            .timeout(Duration.ofMinutes(3))
                            .build(),
                    java.net.http.HttpResponse.BodyHandlers.discarding());
        }
        warm = true;
    }

    @AfterEach
    void resetClock() {
        clock.reset();
        STRIPE.failReads(false);
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

    /** The user signed in again: after the clock moved by days, their earlier access token has expired. */
    User fresh(User u) {
        TestAccounts.Account a = accounts.login(u.email(), TestAccounts.PASSWORD);
        return new User(u.email(), a.accessToken(), u.id(), u.personalOrg());
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
        Poll.untilTrue(Duration.ofSeconds(20), "invitation email", () -> accounts.mailTo(who.email()).length > before);
        String token = accounts.awaitToken(who.email(), "accept-invitation");
        Http.Response accepted = http.post("/api/v1/invitations/" + token + "/accept")
                .bearer(who.token())
                .send();
        assertThat(accepted.status()).as(accepted.toString()).isEqualTo(200);
    }

    Http.Response checkout(User who, UUID org, String plan) {
        return http.post("/api/v1/orgs/" + org + "/billing/checkout")
                .bearer(who.token())
                .json("type", "subscription", "plan", plan)
                .send();
    }

    /** A started checkout's Stripe session id (from its URL). */
    static String sessionOf(Http.Response checkout) {
        assertThat(checkout.status()).as(checkout.toString()).isEqualTo(200);
        String url = checkout.json().get("checkout_url").asString();
        return url.substring(url.lastIndexOf('/') + 1);
    }

    Http.Response deliver(String event) {
        return deliver(event, STRIPE.sign(event, SECRET));
    }

    Http.Response deliver(String event, String signature) {
        return http.post(WEBHOOK)
                .header("Stripe-Signature", signature)
                .header("Content-Type", "application/json; charset=utf-8")
                .body(event)
                .send();
    }

    /** Delivers the event, expects it stored, and waits until its job processed it. */
    void deliverAndProcess(String event) {
        Http.Response r = deliver(event);
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        awaitEventState(FakeStripe.idOf(event), "processed", "ignored");
    }

    void awaitEventState(String eventId, String... states) {
        Poll.untilTrue(Duration.ofSeconds(30), "event " + eventId + " in " + String.join("/", states), () -> {
            String state = db.sql("select state from stripe_events where id = :id")
                    .param("id", eventId)
                    .query(String.class)
                    .optional()
                    .orElse("");
            return java.util.Arrays.asList(states).contains(state);
        });
    }

    JsonNode subscriptionOf(User member, UUID orgId) {
        Http.Response r = http.get("/api/v1/orgs/" + orgId + "/subscription")
                .bearer(member.token())
                .send();
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        return r.json();
    }

    String customerOf(UUID org) {
        return db.sql("select stripe_customer_id from billing_accounts where org_id = :org")
                .param("org", org)
                .query(String.class)
                .single();
    }

    /** A user with an org on pro through a completed checkout; returns the Stripe subscription id. */
    String subscribeToPro(User owner, UUID org) {
        String session = sessionOf(checkout(owner, org, "pro"));
        deliverAndProcess(STRIPE.completeCheckout(session));
        return (String) STRIPE.object(session).get("subscription");
    }

    static void assertProblem(Http.Response r, int status, String code) {
        assertThat(r.status()).as(r.toString()).isEqualTo(status);
        assertThat(r.header("Content-Type")).as(r.toString()).startsWith("application/problem+json");
        assertThat(r.code()).as(r.toString()).isEqualTo(code);
    }
}
