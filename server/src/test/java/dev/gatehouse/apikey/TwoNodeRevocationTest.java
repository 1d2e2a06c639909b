package dev.gatehouse.apikey;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.gatehouse.GatehouseApplication;
import dev.gatehouse.support.Http;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.locks.LockSupport;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.logging.LoggingSystem;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;

/**
 * Two Gatehouse nodes on one PostgreSQL: the test's app, and a second instance started in this JVM on the same
 * database (its own port, its own caches, its own change-feed poller). A key verified on both is revoked through
 * the first; the second must answer {@code valid: false} within one second, without anything telling it but
 * the database.
 */
class TwoNodeRevocationTest extends ApiKeyEndToEndTest {

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

    /** Polls a verification on the second node until it stops being valid; returns how long that took. */
    private Duration untilInvalidOnSecond(String service, String key, long startedNanos) {
        while (true) {
            Http.Response r = verify(secondHttp, service, key);
            assertThat(r.status()).as(r.toString()).isEqualTo(200);
            if (!r.json().get("valid").asBoolean()) {
                assertThat(r.json().get("code").asString()).isEqualTo("revoked");
                return Duration.ofNanos(System.nanoTime() - startedNanos);
            }
            Duration waited = Duration.ofNanos(System.nanoTime() - startedNanos);
            assertThat(waited).as("still valid on the second node").isLessThan(Duration.ofSeconds(5));
            LockSupport.parkNanos(Duration.ofMillis(10).toNanos());
        }
    }

    @Test
    void aKeyRevokedOnOneNodeIsRefusedOnTheOtherWithinOneSecond() {
        User owner = user("two-nodes");
        String service = serviceSecret();
        JsonNode created = orgKey(owner, owner.personalOrg(), "everywhere");
        String key = created.get("key").asString();

        // Warm both caches: from here on each node answers from memory.
        for (int i = 0; i < 3; i++) {
            assertThat(verified(service, key).get("valid").asBoolean()).isTrue();
            JsonNode onSecond = verify(secondHttp, service, key).json();
            assertThat(onSecond.get("valid").asBoolean())
                    .as(onSecond.toString())
                    .isTrue();
            assertThat(onSecond.get("org_id").asString())
                    .isEqualTo(owner.personalOrg().toString());
        }

        long started = System.nanoTime();
        Http.Response revoked = http.delete(
                        apiKeys(owner.personalOrg()) + "/" + created.get("id").asString())
                .bearer(owner.token())
                .send();
        assertThat(revoked.status()).as(revoked.toString()).isEqualTo(204);
        // The node that revoked knows at once.
        assertThat(verified(service, key).get("code").asString()).isEqualTo("revoked");

        Duration seen = untilInvalidOnSecond(service, key, started);
        assertThat(seen).as("revocation visible on the second node").isLessThan(Duration.ofSeconds(1));
        // And it stays refused.
        for (int i = 0; i < 5; i++) {
            assertThat(verify(secondHttp, service, key).json().get("valid").asBoolean())
                    .isFalse();
        }
    }

    @Test
    void aServiceKeyRevokedOrRotatedOnOneNodeStopsWorkingOnTheOther() {
        JsonNode created = serviceKey("two-node backend");
        String service = created.get("key").asString();
        String id = created.get("id").asString();
        String some = KeySecrets.ORG.generate();
        assertThat(verify(secondHttp, service, some).status()).isEqualTo(200);

        // A rotation with no overlap retires the old secret on the other node too.
        Http.Response rotated = http.post(SERVICE_KEYS + "/" + id + "/rotate")
                .bearer(admin())
                .json("overlap_seconds", 0)
                .send();
        assertThat(rotated.status()).as(rotated.toString()).isEqualTo(200);
        String fresh = rotated.json().get("key").asString();
        long started = System.nanoTime();
        while (verify(secondHttp, service, some).status() == 200) {
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(1));
            LockSupport.parkNanos(Duration.ofMillis(10).toNanos());
        }
        assertProblem(verify(secondHttp, service, some), 401, "invalid_token");
        assertThat(verify(secondHttp, fresh, some).status()).isEqualTo(200);

        assertThat(http.delete(SERVICE_KEYS + "/" + id).bearer(admin()).send().status())
                .isEqualTo(204);
        started = System.nanoTime();
        while (verify(secondHttp, fresh, some).status() == 200) {
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(1));
            LockSupport.parkNanos(Duration.ofMillis(10).toNanos());
        }
        assertProblem(verify(secondHttp, fresh, some), 401, "invalid_token");
    }

    @Test
    void theSecondNodeIsAFullNodeOnTheSameDatabase() {
        // Keys made through the second node verify on the first: one database, no node-local state that matters.
        User owner = user("two-nodes-b");
        Http.Response created = secondHttp
                .post(apiKeys(owner.personalOrg()))
                .bearer(owner.token())
                .json("name", "made on node two")
                .send();
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        JsonNode answer = verified(serviceSecret(), created.json().get("key").asString());
        assertThat(answer.get("valid").asBoolean()).isTrue();
        assertThat(answer.get("key_id").asString())
                .isEqualTo(created.json().get("id").asString());
        assertThat(UUID.fromString(answer.get("org_id").asString())).isEqualTo(owner.personalOrg());
    }
}
