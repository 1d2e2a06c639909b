package dev.gatehouse.billing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.support.ChildNode;
import dev.gatehouse.support.Http;
import dev.gatehouse.support.Poll;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Nothing Stripe was told we received is lost when the node is killed with {@code kill -9} between the intake and
 * the processing. A real Gatehouse process (a child JVM on its own database) takes signed events while Stripe's API
 * is failing, so every event is stored and acknowledged but none can be processed; it is SIGKILLed; a second
 * process on the same database processes every one of them, each with exactly one effect, once Stripe answers.
 */
class KillNineWebhookTest extends BillingEndToEndTest {

    private static final Duration START = Duration.ofSeconds(180);
    private static final int TOP_UPS = 8;

    @Autowired
    private DataSource dataSource;

    @Test
    void acknowledgedEventsSurviveAKillNineAndAreProcessedOnce() throws Exception {
        JdbcClient admin = JdbcClient.create(dataSource);
        String database = "kill9_billing_" + UUID.randomUUID().toString().replace("-", "");
        admin.sql("create database " + database).update();
        ChildNode first = null;
        ChildNode second = null;
        try {
            String url = ChildNode.jdbcUrl(dataSource, database);
            JdbcClient child = JdbcClient.create(ChildNode.dataSource(dataSource, url));
            first = startNode("billing-first", url);
            first.await(START);
            Http node = first.http();
            String token = ChildNode.adminToken(node);
            UUID org = ChildNode.personalOrg(node, token);

            List<String> sessions = new ArrayList<>();
            for (int i = 0; i < TOP_UPS; i++) {
                Http.Response r = node.post("/api/v1/orgs/" + org + "/billing/checkout")
                        .bearer(token)
                        .json("type", "credits", "packs", i + 1)
                        .send();
                assertThat(r.status()).as(r.toString()).isEqualTo(200);
                String checkoutUrl = r.json().get("checkout_url").asString();
                sessions.add(checkoutUrl.substring(checkoutUrl.lastIndexOf('/') + 1));
            }
            List<String> events = new ArrayList<>();
            for (String s : sessions) events.add(STRIPE.completeCheckout(s));

            STRIPE.failReads(true);
            for (String e : events) {
                Http.Response r = node.post(WEBHOOK)
                        .header("Stripe-Signature", STRIPE.sign(e, SECRET))
                        .body(e)
                        .send();
                assertThat(r.status()).as(r.toString()).isEqualTo(200);
            }
            first.kill();

            assertThat(child.sql("select count(*) from stripe_events where state = 'received'")
                            .query(Long.class)
                            .single())
                    .as("every acknowledged event stored, none processed")
                    .isEqualTo(TOP_UPS);

            STRIPE.failReads(false);
            second = startNode("billing-second", url);
            second.await(START);
            Poll.untilTrue(
                    Duration.ofSeconds(120),
                    "every event processed by the second node",
                    () -> child.sql("select count(*) from stripe_events where state = 'processed'")
                                    .query(Long.class)
                                    .single()
                            == TOP_UPS);
            assertThat(child.sql("select count(*) from billing_credit_purchases where org_id = :org")
                            .param("org", org)
                            .query(Long.class)
                            .single())
                    .as("each top-up once")
                    .isEqualTo(TOP_UPS);
            long credits = child.sql("select sum(credits) from billing_credit_purchases where org_id = :org")
                    .param("org", org)
                    .query(Long.class)
                    .single();
            assertThat(credits).isEqualTo(1000L * TOP_UPS * (TOP_UPS + 1) / 2);
            // Stripe redelivering them all to the new node changes nothing.
            Http again = second.http();
            for (String e : events) {
                Http.Response r = again.post(WEBHOOK)
                        .header("Stripe-Signature", STRIPE.sign(e, SECRET))
                        .body(e)
                        .send();
                assertThat(r.json().get("duplicate").asBoolean()).isTrue();
            }
        } finally {
            STRIPE.failReads(false);
            if (first != null) first.kill();
            if (second != null) second.stop();
            admin.sql("drop database if exists " + database + " with (force)").update();
        }
    }

    /** A node with Stripe pointed at this JVM's fake, retrying events quickly, taking over a dead node's jobs soon. */
    private static ChildNode startNode(String name, String url) throws java.io.IOException {
        return ChildNode.start(
                name,
                url,
                "--gatehouse.stripe.secret-key=sk_test_gatehouse_fake",
                "--gatehouse.stripe.webhook-secret=" + SECRET,
                "--gatehouse.stripe.api-base=" + STRIPE.base(),
                "--gatehouse.stripe.max-network-retries=0",
                "--gatehouse.billing.credits.stripe-price-id=price_credits_pack",
                "--gatehouse.billing.event-retry.max-attempts=1000",
                "--gatehouse.billing.event-retry.initial-delay=200ms",
                "--gatehouse.billing.event-retry.max-delay=1s",
                // Jobs the killed node had picked are taken over once it misses six heartbeats: seconds here.
                "--gatehouse.jobs.heartbeat-interval=2s");
    }
}
