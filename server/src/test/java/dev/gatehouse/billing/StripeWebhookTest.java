package dev.gatehouse.billing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.support.Http;
import dev.gatehouse.support.Poll;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/**
 * The webhook's promises: only events signed with a configured secret, fresh, and untouched are taken; each is
 * taken once however often (and however concurrently) it arrives; events processed in any order end in Stripe's
 * state; a failing handler retries, dead-letters, and replays cleanly from the stored event.
 */
class StripeWebhookTest extends BillingEndToEndTest {

    @Autowired
    PublishedBillingEvents published;

    private String anyEvent() {
        return STRIPE.event(
                "customer.subscription.updated",
                Map.of("id", "sub_unknown_" + UUID.randomUUID().toString().replace("-", ""), "object", "subscription"));
    }

    private long stored(String event) {
        return db.sql("select count(*) from stripe_events where id = :id")
                .param("id", FakeStripe.idOf(event))
                .query(Long.class)
                .single();
    }

    @Test
    void forgedStaleTamperedAndMissingSignaturesAreRefusedAndNothingIsStored() {
        String event = anyEvent();
        long now = clock.instant().getEpochSecond();
        assertProblem(deliver(event, STRIPE.sign(event, "whsec_not_ours")), 400, "invalid_signature");
        assertProblem(deliver(event, FakeStripe.signAt(now - 301, event, SECRET)), 400, "invalid_signature");
        assertProblem(
                deliver(event.replace("\"livemode\":false", "\"livemode\":true"), STRIPE.sign(event, SECRET)),
                400,
                "invalid_signature");
        assertProblem(
                deliver(event, "t=" + now + ",v0=" + FakeStripe.hmac(SECRET, now + "." + event)),
                400,
                "invalid_signature");
        assertProblem(deliver(event, "garbage"), 400, "invalid_signature");
        Http.Response missing = http.post(WEBHOOK)
                .header("Content-Type", "application/json")
                .body(event)
                .send();
        assertProblem(missing, 400, "invalid_signature");
        assertThat(stored(event)).isZero();

        // Within the tolerance it is fine, by the secret being rotated out as by the new one, and with several v1
        // signatures of which one is good.
        assertThat(deliver(event, FakeStripe.signAt(now - 290, event, OLD_SECRET))
                        .status())
                .isEqualTo(200);
        String second = anyEvent();
        assertThat(deliver(second, FakeStripe.signAt(now, second, "whsec_not_ours", SECRET))
                        .status())
                .isEqualTo(200);
        assertThat(stored(event) + stored(second)).isEqualTo(2);
    }

    @Test
    void theSameEventDeliveredTwiceAndConcurrentlyHasOneEffect() throws Exception {
        User owner = user("hook-dup");
        UUID org = createOrg(owner, "Dup Deliveries");
        String session = sessionOf(http.post("/api/v1/orgs/" + org + "/billing/checkout")
                .bearer(owner.token())
                .json("type", "credits", "packs", 1)
                .send());
        String completed = STRIPE.completeCheckout(session);
        int threads = 16;
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Http.Response>> answers = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
            for (int i = 0; i < threads; i++) {
                answers.add(pool.submit(() -> {
                    go.await();
                    return deliver(completed);
                }));
            }
            go.countDown();
            int fresh = 0;
            for (Future<Http.Response> a : answers) {
                Http.Response r = a.get();
                assertThat(r.status()).as(r.toString()).isEqualTo(200);
                if (!r.json().get("duplicate").asBoolean()) fresh++;
            }
            assertThat(fresh).as("deliveries stored as new").isEqualTo(1);
        }
        awaitEventState(FakeStripe.idOf(completed), "processed");
        assertThat(deliver(completed).json().get("duplicate").asBoolean()).isTrue();
        assertThat(stored(completed)).isEqualTo(1);
        long jobs = db.sql(
                        "select count(*) from job_runs where type = 'billing.stripe-event' and payload::text like :p")
                .param("p", "%" + FakeStripe.idOf(completed) + "%")
                .query(Long.class)
                .single();
        assertThat(jobs).as("one processing job").isEqualTo(1);
        assertThat(published.of(CreditsPurchased.class))
                .filteredOn(e -> e.orgId().equals(org))
                .hasSize(1);
    }

    @Test
    void theHandlersEventsDeliveredInReverseOrderEndInStripesState() {
        User owner = user("hook-reverse");
        UUID org = createOrg(owner, "Reverse Order");
        String session = sessionOf(checkout(owner, org, "pro"));
        List<String> sent = new ArrayList<>();
        sent.add(STRIPE.completeCheckout(session));
        String subscriptionId = (String) STRIPE.object(session).get("subscription");
        sent.add(STRIPE.subscriptionEvent("customer.subscription.created", subscriptionId));
        String failed = STRIPE.failRenewal(subscriptionId);
        sent.add(failed);
        sent.add(STRIPE.subscriptionEvent("customer.subscription.updated", subscriptionId));
        sent.add(STRIPE.payInvoice(FakeStripe.objectIdOf(failed)));
        sent.add(STRIPE.subscriptionEvent("customer.subscription.updated", subscriptionId));

        for (String event : sent.reversed()) deliverAndProcess(event);

        JsonNode sub = subscriptionOf(owner, org);
        assertThat(sub.get("plan").asString()).isEqualTo("pro");
        assertThat(sub.get("state").asString()).isEqualTo("active");
        assertThat(java.time.Instant.parse(sub.get("current_period_end").asString())
                        .getEpochSecond())
                .isEqualTo(periodEnd(subscriptionId));
        assertThat(db.sql("select dunning_stage from billing_accounts where org_id = :org")
                        .param("org", org)
                        .query(String.class)
                        .optional())
                .as("no dunning for an invoice that was paid before its failure was processed")
                .isEmpty();
        assertThat(db.sql("select status from billing_invoices where id = :id")
                        .param("id", FakeStripe.objectIdOf(failed))
                        .query(String.class)
                        .single())
                .isEqualTo("paid");

        // An older "active" about a subscription since canceled does not bring it back.
        String created = STRIPE.subscriptionEvent("customer.subscription.updated", subscriptionId);
        deliverAndProcess(STRIPE.cancel(subscriptionId));
        deliverAndProcess(created);
        assertThat(subscriptionOf(owner, org).get("state").asString()).isEqualTo("canceled");
    }

    @Test
    void aFailingHandlerRetriesThenDeadLettersAndAnAdminReplaysItCleanly() {
        User owner = user("hook-dead");
        UUID org = createOrg(owner, "Dead Letters");
        String subscriptionId = subscribeToPro(owner, org);

        STRIPE.failReads(true);
        String canceled = STRIPE.cancel(subscriptionId);
        assertThat(deliver(canceled).status()).isEqualTo(200);
        String eventId = FakeStripe.idOf(canceled);
        awaitEventState(eventId, "dead");
        UUID job = db.sql("select job_id from stripe_events where id = :id")
                .param("id", eventId)
                .query(UUID.class)
                .single();
        String admin = accounts.admin().accessToken();
        JsonNode dead = http.get("/api/v1/admin/jobs?state=dead&type=billing.stripe-event")
                .bearer(admin)
                .send()
                .json();
        JsonNode mine = dead.get("data")
                .valueStream()
                .filter(j -> j.get("id").asString().equals(job.toString()))
                .findFirst()
                .orElseThrow();
        assertThat(mine.get("attempts").asInt()).isEqualTo(3);
        assertThat(subscriptionOf(owner, org).get("state").asString()).isEqualTo("active");

        STRIPE.failReads(false);
        Http.Response retried =
                http.post("/api/v1/admin/jobs/" + job + "/retry").bearer(admin).send();
        assertThat(retried.status()).as(retried.toString()).isEqualTo(200);
        awaitEventState(eventId, "processed");
        assertThat(subscriptionOf(owner, org).get("state").asString()).isEqualTo("canceled");
        Poll.untilTrue(
                Duration.ofSeconds(10),
                "the job succeeded",
                () -> "succeeded"
                        .equals(db.sql("select state from job_runs where id = :id")
                                .param("id", job)
                                .query(String.class)
                                .single()));
    }

    @SuppressWarnings("unchecked")
    private static long periodEnd(String subscriptionId) {
        var items = (Map<String, Object>) STRIPE.object(subscriptionId).get("items");
        var item = (Map<String, Object>) ((List<Object>) items.get("data")).getFirst();
        return (long) item.get("current_period_end");
    }
}
