package dev.gatehouse.metering;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.gatehouse.GatehouseApplication;
import dev.gatehouse.support.Http;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
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
 * Two Gatehouse nodes on one PostgreSQL: the test's app and a second instance started in this JVM on the same
 * database (its own port, its own consumption lanes). Many clients consume one organization's daily api_calls
 * quota (1,000 on the free plan) through both nodes at once; together they admit exactly the limit.
 */
class TwoNodeQuotaTest extends MeteringEndToEndTest {

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
                            "--gatehouse.http.cors-allowed-origins=https://app.example.com",
                            "--gatehouse.catalog.path=target/test-catalog/plans.yml");
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

    @Test
    void twoNodesTogetherAdmitExactlyTheLimit() throws Exception {
        User u = user("two-node-quota");
        String service = serviceKey();
        int clients = 48;
        int attemptsEach = 30;
        CountDownLatch start = new CountDownLatch(1);
        List<Callable<int[]>> calls = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            Http node = c % 2 == 0 ? http : secondHttp;
            int client = c;
            calls.add(() -> {
                start.await();
                int[] outcome = new int[2];
                for (int i = 0; i < attemptsEach; i++) {
                    Http.Request r = node.post(CONSUME)
                            .bearer(service)
                            .json("org", u.org().toString(), "meter", "api_calls", "amount", 1);
                    if (i % 3 == 0) r.header("Idempotency-Key", "c" + client + "-" + i);
                    Http.Response answer = r.send();
                    if (answer.status() == 200) outcome[0]++;
                    else if (answer.status() == 402) outcome[1]++;
                    else throw new AssertionError(answer.toString());
                }
                return outcome;
            });
        }
        int admitted = 0;
        int refused = 0;
        try (ExecutorService pool = Executors.newFixedThreadPool(clients)) {
            List<Future<int[]>> running = new ArrayList<>();
            for (Callable<int[]> call : calls) running.add(pool.submit(call));
            start.countDown();
            for (Future<int[]> f : running) {
                admitted += f.get()[0];
                refused += f.get()[1];
            }
        }
        assertThat(admitted).isEqualTo(1_000);
        assertThat(refused).isEqualTo(clients * attemptsEach - 1_000);
        assertThat(usage(u, "api_calls", "").get("total").asInt()).isEqualTo(1_000);
        // The second node sees the count the first one shares with it.
        Http.Response fromSecond = secondHttp
                .post(CONSUME)
                .bearer(service)
                .json("org", u.org().toString(), "meter", "api_calls", "amount", 1)
                .send();
        assertThat(fromSecond.status()).isEqualTo(402);
        assertThat(fromSecond.json().get("used").asInt()).isEqualTo(1_000);
    }
}
