package dev.gatehouse.redelivery;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.gatehouse.GatehouseApplication;
import dev.gatehouse.organization.OrganizationCreated;
import dev.gatehouse.support.EndToEndTest;
import dev.gatehouse.support.Http;
import dev.gatehouse.support.Poll;
import dev.gatehouse.support.TestAccounts;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.logging.LoggingSystem;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.SimpleDriverDataSource;

/**
 * A cross-module event whose listener failed is not lost: its publication stays in {@code event_publication},
 * and the next node to start on the database delivers it again, or the node retries it while it runs. Gatehouse
 * nodes are started in this JVM (each with {@link FlakyOrganizationListener}, which fails every first delivery)
 * on a fresh database of the test's PostgreSQL; an organization is created over HTTP by registering a user.
 */
class EventRedeliveryTest extends EndToEndTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @Autowired
    private DataSource dataSource;

    private String database;
    private String url;
    private JdbcClient db;

    @BeforeEach
    void freshDatabase() throws Exception {
        database = "redelivery_" + UUID.randomUUID().toString().replace("-", "");
        JdbcClient.create(dataSource).sql("create database " + database).update();
        HikariDataSource parent = dataSource.unwrap(HikariDataSource.class);
        url = parent.getJdbcUrl().replaceFirst("^(jdbc:postgresql://[^/]+/)[^?]*", "$1" + database);
        db = JdbcClient.create(new SimpleDriverDataSource(
                new org.postgresql.Driver(), url, parent.getUsername(), parent.getPassword()));
    }

    @AfterEach
    void dropDatabase() {
        JdbcClient.create(dataSource)
                .sql("drop database if exists " + database + " with (force)")
                .update();
    }

    @Test
    void anEventWhoseListenerFailedIsDeliveredByTheNextNodeToStart() {
        String name = "Redelivered " + UUID.randomUUID();
        try (ConfigurableApplicationContext first = node("1h")) {
            register(first, name);
            Poll.untilTrue(
                    WAIT, "the failing first delivery", () -> FlakyOrganizationListener.ATTEMPTS.containsKey(name));
            Poll.untilTrue(
                    WAIT,
                    "the publication marked failed",
                    () -> publications(name).contains("FAILED"));
            assertThat(incomplete(name))
                    .as("incomplete publications of the event")
                    .isEqualTo(1);
        }
        assertThat(FlakyOrganizationListener.HANDLED).doesNotContain(name);
        assertThat(incomplete(name)).as("outstanding while no node runs").isEqualTo(1);

        // No retry runs on this node within the test (1h): only republication on start can deliver it.
        try (ConfigurableApplicationContext second = node("1h")) {
            Poll.untilTrue(WAIT, "delivery by the second node", () -> FlakyOrganizationListener.HANDLED.contains(name));
            Poll.untilTrue(
                    WAIT, "the publication completed", () -> publications(name).isEmpty());
        }
        assertThat(FlakyOrganizationListener.ATTEMPTS.get(name)).isEqualTo(2);
    }

    @Test
    void anEventWhoseListenerFailedIsRetriedWhileTheNodeRuns() {
        String name = "Retried " + UUID.randomUUID();
        try (ConfigurableApplicationContext node = node("1s")) {
            register(node, name);
            Poll.untilTrue(WAIT, "delivery by the retry", () -> FlakyOrganizationListener.HANDLED.contains(name));
            Poll.untilTrue(
                    WAIT, "the publication completed", () -> publications(name).isEmpty());
        }
        assertThat(FlakyOrganizationListener.ATTEMPTS.get(name)).isEqualTo(2);
    }

    /** A Gatehouse node on the test's database, with the flaky listener and this retry interval. */
    private ConfigurableApplicationContext node(String retryInterval) {
        // The test's app owns logging; a second Spring Boot in one JVM must neither reconfigure nor shut it down.
        String previous = System.getProperty(LoggingSystem.SYSTEM_PROPERTY);
        System.setProperty(LoggingSystem.SYSTEM_PROPERTY, LoggingSystem.NONE);
        try {
            return new SpringApplicationBuilder(GatehouseApplication.class, FlakyOrganizationListener.class)
                    .profiles("test")
                    .run(
                            "--server.port=0",
                            "--spring.datasource.url=" + url,
                            "--gatehouse.events.retry-interval=" + retryInterval);
        } finally {
            if (previous == null) System.clearProperty(LoggingSystem.SYSTEM_PROPERTY);
            else System.setProperty(LoggingSystem.SYSTEM_PROPERTY, previous);
        }
    }

    /** Registers a user named {@code name} on the node: their personal organization is named after them. */
    private static void register(ConfigurableApplicationContext node, String name) {
        int port = ((WebServerApplicationContext) node).getWebServer().getPort();
        Http.Response r = new Http("http://127.0.0.1:" + port)
                .post("/api/v1/auth/register")
                .json("email", TestAccounts.uniqueEmail("redelivery"), "password", TestAccounts.PASSWORD, "name", name)
                .send();
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
    }

    /** The status of each stored publication of the organization's creation to the flaky listener. */
    private List<String> publications(String name) {
        return db.sql("""
                        select coalesce(status, 'none') from event_publication
                        where event_type = :type and listener_id like :listener
                          and serialized_event::jsonb ->> 'name' = :name
                        """)
                .param("type", OrganizationCreated.class.getName())
                .param("listener", "%" + FlakyOrganizationListener.class.getName() + "%")
                .param("name", name)
                .query(String.class)
                .list();
    }

    private long incomplete(String name) {
        return db.sql("""
                        select count(*) from event_publication
                        where event_type = :type and completion_date is null
                          and serialized_event::jsonb ->> 'name' = :name
                        """)
                .param("type", OrganizationCreated.class.getName())
                .param("name", name)
                .query(Long.class)
                .single();
    }
}
