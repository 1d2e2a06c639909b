package dev.gatehouse.billing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.support.Http;
import dev.gatehouse.support.Poll;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/**
 * The billing acceptance path over HTTP against the fake Stripe: checkout, the signed webhook, the plan and period
 * it sets, dunning through grace to suspension and back on payment, credit top-ups, invoices, the portal, refunds
 * and disputes, and who may do what.
 */
class BillingLifecycleTest extends BillingEndToEndTest {

    @Autowired
    PublishedBillingEvents published;

    @Test
    void checkoutPaysForProThenDunningSuspendsAndPaymentRestores() {
        User owner = user("bill-owner");
        UUID org = createOrg(owner, "Acme Billing");
        Http.Response started = checkout(owner, org, "pro");
        String session = sessionOf(started);
        assertThat(started.json().get("checkout_url").asString()).isEqualTo(STRIPE.base() + "/c/pay/" + session);

        deliverAndProcess(STRIPE.completeCheckout(session));
        String subscriptionId = (String) STRIPE.object(session).get("subscription");
        long periodEnd = (long) item(subscriptionId).get("current_period_end");
        JsonNode sub = subscriptionOf(owner, org);
        assertThat(sub.get("plan").asString()).isEqualTo("pro");
        assertThat(sub.get("state").asString()).isEqualTo("active");
        assertThat(Instant.parse(sub.get("current_period_end").asString())).isEqualTo(Instant.ofEpochSecond(periodEnd));
        assertThat(allowed(owner, org, "priority_support")).isEqualTo(200);
        String orgKey = orgKey(owner, org);
        String service = serviceKey();
        assertThat(verify(service, orgKey).get("valid").asBoolean()).isTrue();

        // The renewal fails: past due, an email.
        String failed = STRIPE.failRenewal(subscriptionId);
        deliverAndProcess(failed);
        assertThat(subscriptionOf(owner, org).get("state").asString()).isEqualTo("past_due");
        awaitMail(owner.email(), "a payment failed");
        assertThat(allowed(owner, org, "priority_support"))
                .as("the plan applies while past due")
                .isEqualTo(200);

        // Stripe's retries are over: grace, an email; the grace ends: suspended, an email, 402, keys suspended.
        clock.advance(Duration.ofDays(3).plusMinutes(1));
        dunning.run();
        owner = fresh(owner);
        assertThat(subscriptionOf(owner, org).get("state").asString()).isEqualTo("grace");
        awaitMail(owner.email(), "grace period started");
        clock.advance(Duration.ofDays(7).plusMinutes(1));
        dunning.run();
        owner = fresh(owner);
        assertThat(subscriptionOf(owner, org).get("state").asString()).isEqualTo("suspended");
        awaitMail(owner.email(), "is suspended for non-payment");
        assertThat(allowed(owner, org, "priority_support")).isEqualTo(402);
        JsonNode suspended = verify(service, orgKey);
        assertThat(suspended.get("valid").asBoolean()).isFalse();
        assertThat(suspended.get("code").asString()).isEqualTo("suspended");

        // The invoice is paid: active again at once, on the new period, and a thank-you.
        String invoiceId = FakeStripe.objectIdOf(failed);
        deliverAndProcess(STRIPE.payInvoice(invoiceId));
        sub = subscriptionOf(owner, org);
        assertThat(sub.get("state").asString()).isEqualTo("active");
        assertThat(sub.get("plan").asString()).isEqualTo("pro");
        assertThat(Instant.parse(sub.get("current_period_end").asString()))
                .isEqualTo(Instant.ofEpochSecond((long) item(subscriptionId).get("current_period_end")));
        awaitMail(owner.email(), "payment received");
        assertThat(allowed(owner, org, "priority_support")).isEqualTo(200);
        assertThat(verify(service, orgKey).get("valid").asBoolean()).isTrue();

        // Both invoices are listed, newest first, with Stripe's hosted links.
        Http.Response invoices = http.get("/api/v1/orgs/" + org + "/invoices")
                .bearer(owner.token())
                .send();
        assertThat(invoices.status()).as(invoices.toString()).isEqualTo(200);
        JsonNode first = invoices.json().get("data").get(0);
        assertThat(first.get("id").asString()).isEqualTo(invoiceId);
        assertThat(first.get("status").asString()).isEqualTo("paid");
        assertThat(first.get("amount_paid").asLong()).isEqualTo(1999);
        assertThat(first.get("invoice_pdf").asString()).endsWith("/pdf");
        assertThat(first.get("hosted_invoice_url").asString()).startsWith("https://invoice.stripe.test/");
        assertThat(published.of(PaymentFailed.class))
                .filteredOn(e -> e.orgId().equals(org))
                .hasSize(1);
    }

    @Test
    void aCreditTopUpIsPublishedExactlyOnceHoweverOftenStripeSendsIt() {
        User owner = user("bill-credits");
        UUID org = createOrg(owner, "Credits Co");
        Http.Response started = http.post("/api/v1/orgs/" + org + "/billing/checkout")
                .bearer(owner.token())
                .json("type", "credits", "packs", 3)
                .send();
        String session = sessionOf(started);
        String completed = STRIPE.completeCheckout(session);
        deliverAndProcess(completed);
        assertThat(deliver(completed).json().get("duplicate").asBoolean()).isTrue();
        // A second event about the same session (Stripe may send several) grants nothing more either.
        deliverAndProcess(STRIPE.event("checkout.session.completed", STRIPE.object(session)));

        List<CreditsPurchased> bought = published.of(CreditsPurchased.class).stream()
                .filter(e -> e.orgId().equals(org))
                .toList();
        assertThat(bought).hasSize(1);
        assertThat(bought.getFirst().credits()).isEqualTo(3000);
        assertThat(bought.getFirst().amountMinor()).isEqualTo(1500);
        assertThat(bought.getFirst().stripeCheckoutSessionId()).isEqualTo(session);
        assertThat(subscriptionOf(owner, org).get("plan").asString())
                .as("a top-up is no plan")
                .isEqualTo("free");

        // The credits module grants the top-up once, after billing's commit...
        java.math.BigDecimal before = Poll.until(Duration.ofSeconds(10), "the purchased credits", () -> {
            JsonNode credits = creditsOf(owner, org);
            for (JsonNode block : credits.get("blocks")) {
                if (block.get("source").asString().equals("purchase"))
                    return credits.get("available").decimalValue();
            }
            return null;
        });
        // ...and a refund of a third of the payment takes back a third of its credits, once however often told.
        String charge = STRIPE.latest("ch", customerOf(org));
        Http.Response refund = http.post("/api/v1/admin/orgs/" + org + "/refunds")
                .bearer(accounts.admin().accessToken())
                .json("charge", charge, "amount", 500, "reason", "a third back")
                .send();
        assertThat(refund.status()).as(refund.toString()).isEqualTo(201);
        deliverAndProcess(STRIPE.chargeRefunded(charge));
        deliverAndProcess(STRIPE.chargeRefunded(charge));
        Poll.untilTrue(
                Duration.ofSeconds(10),
                "a third of the credits taken back",
                () -> creditsOf(owner, org)
                                .get("available")
                                .decimalValue()
                                .compareTo(before.subtract(java.math.BigDecimal.valueOf(1000)))
                        == 0);
        long purchases = db.sql("select count(*) from credit_transactions where org_id = :org and kind = 'grant'"
                        + " and external_ref like 'purchase:stripe:%'")
                .param("org", org)
                .query(Long.class)
                .single();
        assertThat(purchases).as("one purchase grant").isEqualTo(1);
    }

    private JsonNode creditsOf(User owner, UUID org) {
        Http.Response r = http.get("/api/v1/orgs/" + org + "/credits")
                .bearer(owner.token())
                .send();
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        return r.json();
    }

    @Test
    void concurrentFirstCheckoutsMakeOneStripeCustomer() throws Exception {
        User owner = user("bill-race");
        UUID org = createOrg(owner, "Race Inc");
        int before = STRIPE.created("customer");
        int threads = 8;
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Http.Response>> answers = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
            for (int i = 0; i < threads; i++) {
                answers.add(pool.submit(() -> {
                    go.await();
                    return checkout(owner, org, "pro");
                }));
            }
            go.countDown();
            for (Future<Http.Response> a : answers) {
                assertThat(a.get().status()).as(a.get().toString()).isEqualTo(200);
            }
        }
        assertThat(STRIPE.created("customer") - before).isEqualTo(1);
        String customer = customerOf(org);
        assertThat(STRIPE.object(customer).get("metadata").toString()).contains(org.toString());
        assertThat(STRIPE.idempotencyKeys()).contains("gatehouse-customer-" + org);
        assertThat(STRIPE.idempotencyKeys().stream().filter(k -> k.startsWith("gatehouse-checkout-")))
                .doesNotHaveDuplicates();
    }

    @Test
    void thePortalIsForOwnersAndBillingMembersAndNeedsACustomer() {
        User owner = user("bill-portal");
        User billing = user("bill-portal-billing");
        User member = user("bill-portal-member");
        User outsider = user("bill-portal-outsider");
        UUID org = createOrg(owner, "Portal Ltd");
        join(owner, org, billing, "billing");
        join(owner, org, member, "member");
        String portal = "/api/v1/orgs/" + org + "/billing/portal";

        assertProblem(http.post(portal).bearer(owner.token()).send(), 409, "no_billing_customer");
        sessionOf(checkout(billing, org, "pro"));
        Http.Response opened = http.post(portal).bearer(billing.token()).send();
        assertThat(opened.status()).as(opened.toString()).isEqualTo(200);
        assertThat(opened.json().get("portal_url").asString()).startsWith("https://billing.stripe.test/p/session/");

        for (User denied : List.of(member)) {
            assertProblem(http.post(portal).bearer(denied.token()).send(), 403, "forbidden");
            assertProblem(checkout(denied, org, "pro"), 403, "forbidden");
            assertProblem(
                    http.get("/api/v1/orgs/" + org + "/invoices")
                            .bearer(denied.token())
                            .send(),
                    403,
                    "forbidden");
        }
        assertProblem(http.post(portal).bearer(outsider.token()).send(), 404, "not_found");
        assertProblem(checkout(outsider, org, "pro"), 404, "not_found");
        assertProblem(
                http.get("/api/v1/orgs/" + org + "/invoices")
                        .bearer(outsider.token())
                        .send(),
                404,
                "not_found");
    }

    @Test
    void badCheckoutRequestsAreRefusedWithProblems() {
        User owner = user("bill-bad");
        UUID org = createOrg(owner, "Bad Requests");
        assertProblem(checkout(owner, org, "nosuchplan"), 422, "unknown_plan");
        assertProblem(checkout(owner, org, "free"), 422, "plan_not_sold");
        assertProblem(
                http.post("/api/v1/orgs/" + org + "/billing/checkout")
                        .bearer(owner.token())
                        .json("type", "credits", "packs", 101)
                        .send(),
                422,
                "too_many_packs");
        assertThat(http.post("/api/v1/orgs/" + org + "/billing/checkout")
                        .bearer(owner.token())
                        .json("type", "gift")
                        .send()
                        .status())
                .isEqualTo(400);
    }

    @Test
    void aPlanChangeOfAPayingOrganizationUpdatesItsSubscriptionInPlace() {
        User owner = user("bill-upgrade");
        UUID org = createOrg(owner, "Upgrade Co");
        String subscriptionId = subscribeToPro(owner, org);
        int sessions = STRIPE.created("checkout_session");
        Http.Response changed = checkout(owner, org, "enterprise");
        assertThat(changed.status()).as(changed.toString()).isEqualTo(200);
        assertThat(changed.json().get("plan_changed_to").asString()).isEqualTo("enterprise");
        assertThat(changed.json().hasNonNull("checkout_url")).isFalse();
        assertThat(STRIPE.created("checkout_session")).isEqualTo(sessions);
        assertThat(subscriptionOf(owner, org).get("plan").asString()).isEqualTo("enterprise");
        // Stripe's own event about the change agrees, and changes nothing more.
        deliverAndProcess(STRIPE.subscriptionEvent("customer.subscription.updated", subscriptionId));
        assertThat(subscriptionOf(owner, org).get("plan").asString()).isEqualTo("enterprise");
    }

    @Test
    void payingOnTheFakeCheckoutPageDeliversStripesSignedEventsAndMovesThePlan() throws Exception {
        // What the README's tour does with the fake running on its own: POST to the checkout URL, and the fake sends
        // the events to the webhook itself.
        User owner = user("bill-page");
        UUID org = createOrg(owner, "Checkout Page Co");
        Http.Response started = checkout(owner, org, "pro");
        String session = sessionOf(started);
        STRIPE.deliverTo("http://127.0.0.1:" + port + WEBHOOK, SECRET);
        java.net.http.HttpResponse<String> paid;
        try (java.net.http.HttpClient client = java.net.http.HttpClient.newHttpClient()) {
            paid = client.send(
                    java.net.http.HttpRequest.newBuilder(java.net.URI.create(
                                    started.json().get("checkout_url").asString()))
                            .POST(java.net.http.HttpRequest.BodyPublishers.noBody())
                            .build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
        } finally {
            STRIPE.deliverTo(null);
        }
        assertThat(paid.statusCode()).as(paid.body()).isEqualTo(200);
        JsonNode events = tools.jackson.databind.json.JsonMapper.builder()
                .build()
                .readTree(paid.body())
                .get("events");
        assertThat(events.valueStream().map(e -> e.get("type").asString()))
                .containsExactly("checkout.session.completed", "customer.subscription.created", "invoice.paid");
        assertThat(events.valueStream().map(e -> e.get("webhook_status").asInt()))
                .containsOnly(200);
        events.valueStream().forEach(e -> awaitEventState(e.get("id").asString(), "processed"));

        String subscriptionId = (String) STRIPE.object(session).get("subscription");
        JsonNode sub = subscriptionOf(owner, org);
        assertThat(sub.get("plan").asString()).isEqualTo("pro");
        assertThat(sub.get("state").asString()).isEqualTo("active");
        assertThat(Instant.parse(sub.get("current_period_end").asString()))
                .isEqualTo(Instant.ofEpochSecond((long) item(subscriptionId).get("current_period_end")));
    }

    @Test
    void refundsAndDisputesArePublishedOnceAndAudited() {
        User owner = user("bill-refund");
        UUID org = createOrg(owner, "Refund Corp");
        subscribeToPro(owner, org);
        String customer = customerOf(org);
        String charge = STRIPE.latest("ch", customer);
        String admin = accounts.admin().accessToken();

        Http.Response refund = http.post("/api/v1/admin/orgs/" + org + "/refunds")
                .bearer(admin)
                .json("charge", charge, "amount", 500, "reason", "goodwill after an outage")
                .send();
        assertThat(refund.status()).as(refund.toString()).isEqualTo(201);
        assertThat(refund.json().get("status").asString()).isEqualTo("succeeded");
        assertThat(refund.json().get("amount").asLong()).isEqualTo(500);
        assertThat(STRIPE.idempotencyKeys())
                .contains("gatehouse-refund-" + refund.json().get("id").asString());
        String refunded = STRIPE.chargeRefunded(charge);
        deliverAndProcess(refunded);
        deliverAndProcess(STRIPE.chargeRefunded(charge));
        List<PaymentRefunded> refunds = published.of(PaymentRefunded.class).stream()
                .filter(e -> e.orgId().equals(org))
                .toList();
        assertThat(refunds).hasSize(1);
        assertThat(refunds.getFirst().amountMinor()).isEqualTo(500);
        assertThat(refunds.getFirst().chargeAmountMinor()).isEqualTo(1999);
        assertThat(audited("billing.refund_requested", org)).isEqualTo(1);

        // Someone else's charge is not this organization's to refund; a member is no admin.
        assertProblem(
                http.post("/api/v1/admin/orgs/" + org + "/refunds")
                        .bearer(admin)
                        .json("charge", "ch_00000000999999", "reason", "typo")
                        .send(),
                404,
                "charge_not_found");
        assertProblem(
                http.post("/api/v1/admin/orgs/" + org + "/refunds")
                        .bearer(owner.token())
                        .json("charge", charge, "reason", "myself")
                        .send(),
                403,
                "forbidden");

        String disputed = STRIPE.dispute(charge, "fraudulent");
        deliverAndProcess(disputed);
        deliverAndProcess(disputed.replace(
                FakeStripe.idOf(disputed),
                "evt_redelivered_" + UUID.randomUUID().toString().replace("-", "")));
        deliverAndProcess(STRIPE.closeDispute(FakeStripe.objectIdOf(disputed), "lost"));
        assertThat(published.of(ChargeDisputed.class))
                .filteredOn(e -> e.orgId().equals(org))
                .hasSize(1);
        List<ChargeDisputeClosed> closed = published.of(ChargeDisputeClosed.class).stream()
                .filter(e -> e.orgId().equals(org))
                .toList();
        assertThat(closed).hasSize(1);
        assertThat(closed.getFirst().status()).isEqualTo("lost");
        assertThat(audited("billing.dispute_opened", org)).isEqualTo(1);
    }

    private long audited(String action, UUID org) {
        return db.sql("select count(*) from audit_events where action = :a and target_id = :t")
                .param("a", action)
                .param("t", org.toString())
                .query(Long.class)
                .single();
    }

    @SuppressWarnings("unchecked")
    private static java.util.Map<String, Object> item(String subscriptionId) {
        var items =
                (java.util.Map<String, Object>) STRIPE.object(subscriptionId).get("items");
        return (java.util.Map<String, Object>) ((List<Object>) items.get("data")).getFirst();
    }

    private int allowed(User who, UUID org, String feature) {
        return http.post("/api/v1/entitlements/check")
                .bearer(who.token())
                .json("org", org.toString(), "feature", feature)
                .send()
                .status();
    }

    private String orgKey(User owner, UUID org) {
        Http.Response r = http.post("/api/v1/orgs/" + org + "/api-keys")
                .bearer(owner.token())
                .json("name", "product backend")
                .send();
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
        return r.json().get("key").asString();
    }

    private String serviceKey() {
        Http.Response r = http.post("/api/v1/admin/service-keys")
                .bearer(accounts.admin().accessToken())
                .json("name", "billing backend " + UUID.randomUUID().toString().substring(0, 8))
                .send();
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
        return r.json().get("key").asString();
    }

    private JsonNode verify(String service, String key) {
        Http.Response r = http.post("/api/v1/keys/verify")
                .bearer(service)
                .json("key", key)
                .send();
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        return r.json();
    }

    private void awaitMail(String to, String subjectPart) {
        Poll.untilTrue(Duration.ofSeconds(30), "an email to " + to + " about '" + subjectPart + "'", () -> {
            for (var m : accounts.mailTo(to)) {
                try {
                    if (m.getSubject() != null && m.getSubject().contains(subjectPart)) return true;
                } catch (jakarta.mail.MessagingException e) {
                    throw new IllegalStateException(e);
                }
            }
            return false;
        });
    }
}
