package dev.gatehouse.flags;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.gatehouse.GatehouseApplication;
import dev.gatehouse.support.Http;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.logging.LoggingSystem;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Two Gatehouse nodes on one PostgreSQL: the test's app and a second instance in this JVM (its own port, its own
 * flag cache, its own change-feed poller). A kill switch flipped through the first must be obeyed by the second
 * within one second, with nothing but the database between them; the time is measured and printed. A node
 * started after a kill switch was set obeys it from its first answer (the switch is stored, not broadcast).
 */
class TwoNodeKillSwitchTest extends FlagTestSupport {

    private static ConfigurableApplicationContext second;

    @Autowired
    private DataSource dataSource;

    private Http startSecondNode() throws java.sql.SQLException {
        String url = dataSource.unwrap(HikariDataSource.class).getJdbcUrl();
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
        return new Http("http://127.0.0.1:" + port);
    }

    @AfterAll
    static void stopSecondNode() {
        if (second != null) second.close();
        second = null;
    }

    /** Polls the flag on {@code node} until it answers {@code expected}; returns how long that took. */
    private Duration until(Http node, String key, boolean expected, long startedNanos) {
        while (true) {
            if (enabled(node, key, "{}") == expected) return Duration.ofNanos(System.nanoTime() - startedNanos);
            assertThat(Duration.ofNanos(System.nanoTime() - startedNanos))
                    .as("%s still %s on the second node", key, !expected)
                    .isLessThan(Duration.ofSeconds(5));
            LockSupport.parkNanos(Duration.ofMillis(5).toNanos());
        }
    }

    @Test
    void aKillSwitchFlippedOnOneNodeIsObeyedOnTheOtherWithinOneSecondAndSurvivesARestart() throws Exception {
        String key = unique("two-nodes");
        String killedBeforeStart = unique("killed-early");
        create("{\"key\": \"" + key + "\", \"kind\": \"boolean\", \"enabled\": true}");
        create("{\"key\": \"" + killedBeforeStart + "\", \"kind\": \"boolean\", \"enabled\": true}");
        killSwitch(killedBeforeStart, true);

        Http other = startSecondNode();
        // stored, so a node that starts later obeys it from its first answer
        assertThat(enabled(other, killedBeforeStart, "{}")).isFalse();
        assertThat(enabled(other, key, "{}")).isTrue();

        List<Duration> seen = new ArrayList<>();
        for (int round = 0; round < 5; round++) {
            for (boolean active : new boolean[] {true, false}) {
                long started = System.nanoTime();
                killSwitch(key, active);
                assertThat(enabled(http, key, "{}"))
                        .as("the node that flipped it")
                        .isEqualTo(!active);
                seen.add(until(other, key, !active, started));
            }
        }
        long started = System.nanoTime();
        try {
            killSwitch("global", true);
            seen.add(until(other, key, false, started));
        } finally {
            killSwitch("global", false);
        }
        until(other, key, true, System.nanoTime());
        killSwitch(killedBeforeStart, false);

        Duration worst = seen.stream().max(Duration::compareTo).orElseThrow();
        System.out.println("kill_switch_propagation_ms "
                + seen.stream().map(Duration::toMillis).toList() + " worst=" + worst.toMillis());
        assertThat(worst).as("kill switch seen on the second node").isLessThan(Duration.ofSeconds(1));
    }
}
