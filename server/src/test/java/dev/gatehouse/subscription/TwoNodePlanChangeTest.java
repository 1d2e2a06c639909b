package dev.gatehouse.subscription;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.gatehouse.GatehouseApplication;
import dev.gatehouse.support.Http;
import dev.gatehouse.support.TestCatalog;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Predicate;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.logging.LoggingSystem;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Two Gatehouse nodes on one PostgreSQL: the test's app, and a second instance started in this JVM on the same
 * database (its own port, its own caches, its own change-feed poller). A plan changed through the first must be
 * seen by the second's entitlement checks and key verifications within one second, though each answers from
 * memory and nothing tells it but the database; a catalog reload likewise.
 */
class TwoNodePlanChangeTest extends SubscriptionEndToEndTest {

    private static ConfigurableApplicationContext second;
    private static Http secondHttp;

    @Autowired
    private DataSource dataSource;

    @BeforeEach
    void startSecondNode() throws Exception {
        if (second != null) return;
        String url = dataSource.unwrap(HikariDataSource.class).getJdbcUrl();
        // The first node owns logging; a second Spring Boot in one JVM must neither reconfigure nor shut it down.
        String previous = System.getProperty(LoggingSystem.SYSTEM_PROPERTY);
        System.setProperty(LoggingSystem.SYSTEM_PROPERTY, LoggingSystem.NONE);
        try {
            second = new SpringApplicationBuilder(GatehouseApplication.class)
                    .profiles("test")
                    .run(
                            "--server.port=0",
                            "--spring.datasource.url=" + url,
                            "--spring.mail.host=127.0.0.1",
                            "--spring.mail.port=" + SMTP.getSmtp().getPort(),
                            "--gatehouse.catalog.path=" + TestCatalog.FILE,
                            "--gatehouse.http.cors-allowed-origins=https://app.example.com");
        } finally {
            if (previous == null) System.clearProperty(LoggingSystem.SYSTEM_PROPERTY);
            else System.setProperty(LoggingSystem.SYSTEM_PROPERTY, previous);
        }
        int port = ((WebServerApplicationContext) second).getWebServer().getPort();
        secondHttp = new Http("http://127.0.0.1:" + port);
    }

    @AfterAll
    static void stopSecondNode() {
        if (second != null) second.close();
        second = null;
    }

    /** Asks the second node until its answer passes; returns how long after {@code started} that was. */
    private static Duration untilOnSecond(
            long started, java.util.function.Supplier<Http.Response> ask, Predicate<Http.Response> seen) {
        while (true) {
            Http.Response r = ask.get();
            Duration waited = Duration.ofNanos(System.nanoTime() - started);
            if (seen.test(r)) return waited;
            assertThat(waited).as("not seen on the second node: " + r).isLessThan(Duration.ofSeconds(5));
            LockSupport.parkNanos(Duration.ofMillis(10).toNanos());
        }
    }

    @Test
    void aPlanChangeReachesTheOtherNodesEntitlementChecksAndKeyVerificationsWithinOneSecond() {
        User owner = user("two-node-plan");
        UUID orgId = owner.personalOrg();
        String service = serviceKey();
        Http.Response created = http.post("/api/v1/orgs/" + orgId + "/api-keys")
                .bearer(owner.token())
                .json("name", "product key")
                .send();
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        String key = created.json().get("key").asString();

        // Warm both nodes: from here on each answers from memory.
        for (int i = 0; i < 3; i++) {
            for (Http node : new Http[] {http, secondHttp}) {
                assertProblem(check(node, service, orgId, "priority_support"), 402, "feature_not_in_plan");
                Http.Response verified = node.post("/api/v1/keys/verify")
                        .bearer(service)
                        .json("key", key)
                        .send();
                assertThat(verified.json().get("plan").asString())
                        .as(verified.toString())
                        .isEqualTo("free");
            }
        }

        String admin = admin();
        long started = System.nanoTime();
        assertThat(overrideTo(admin, orgId, "pro").status()).isEqualTo(200);
        // The node that made the change knows at once.
        assertThat(check(service, orgId, "priority_support").status()).isEqualTo(200);

        Duration checkSeen = untilOnSecond(
                started, () -> check(secondHttp, service, orgId, "priority_support"), r -> r.status() == 200);
        Duration verifySeen = untilOnSecond(
                started,
                () -> secondHttp
                        .post("/api/v1/keys/verify")
                        .bearer(service)
                        .json("key", key)
                        .send(),
                r -> "pro".equals(r.json().get("plan").asString()));
        assertThat(checkSeen).as("entitlement check on the second node").isLessThan(Duration.ofSeconds(1));
        assertThat(verifySeen).as("key verification on the second node").isLessThan(Duration.ofSeconds(1));
        for (int i = 0; i < 5; i++) {
            assertThat(check(secondHttp, service, orgId, "priority_support").status())
                    .isEqualTo(200);
        }

        // And back: the downgrade (an override applies at once) reaches it too.
        started = System.nanoTime();
        assertThat(overrideTo(admin, orgId, "free").status()).isEqualTo(200);
        Duration downgradeSeen = untilOnSecond(
                started, () -> check(secondHttp, service, orgId, "priority_support"), r -> r.status() == 402);
        assertThat(downgradeSeen).isLessThan(Duration.ofSeconds(1));
    }

    @Test
    void aCatalogReloadReachesTheOtherNodeWithinOneSecond() {
        User owner = user("two-node-catalog");
        String service = serviceKey();
        String admin = admin();
        assertProblem(
                check(secondHttp, service, owner.personalOrg(), "advanced_analytics"), 402, "feature_not_in_plan");
        try {
            TestCatalog.write(TestCatalog.shipped()
                    .replace("features: [api_access]\n", "features: [api_access, advanced_analytics]\n"));
            long started = System.nanoTime();
            Http.Response reloaded =
                    http.post("/api/v1/admin/catalog/reload").bearer(admin).send();
            assertThat(reloaded.status()).as(reloaded.toString()).isEqualTo(200);
            Duration seen = untilOnSecond(
                    started,
                    () -> check(secondHttp, service, owner.personalOrg(), "advanced_analytics"),
                    r -> r.status() == 200);
            assertThat(seen).as("the new catalog on the second node").isLessThan(Duration.ofSeconds(1));
        } finally {
            TestCatalog.restore();
            assertThat(http.post("/api/v1/admin/catalog/reload")
                            .bearer(admin)
                            .send()
                            .status())
                    .isEqualTo(200);
        }
    }
}
