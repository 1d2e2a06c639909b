package dev.gatehouse.support;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.search.Search;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Base of the end-to-end tests: the whole app on a random port with PostgreSQL and a real SMTP server
 * (GreenMail), driven over HTTP by {@link Http}. Every subclass shares this configuration, so Spring's
 * context cache starts the app once per test JVM.
 */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "spring.mail.host=127.0.0.1",
            "gatehouse.http.cors-allowed-origins=https://app.example.com",
            "gatehouse.catalog.path=target/test-catalog/plans.yml"
        })
@ActiveProfiles("test")
public abstract class EndToEndTest {

    /** One SMTP server for the whole test JVM. */
    protected static final GreenMail SMTP;

    static {
        SMTP = new GreenMail(ServerSetupTest.SMTP.dynamicPort());
        SMTP.start();
        // The app reads its plan catalog from a file a test may edit and reload; it starts as the shipped one.
        TestCatalog.restore();
    }

    @DynamicPropertySource
    static void smtp(DynamicPropertyRegistry registry) {
        registry.add("spring.mail.port", () -> SMTP.getSmtp().getPort());
    }

    @LocalServerPort
    protected int port;

    @Autowired
    private MeterRegistry meters;

    private static MeterRegistry lastMeters;

    protected Http http;

    @BeforeEach
    protected void client() {
        http = new Http("http://127.0.0.1:" + port);
        lastMeters = meters;
    }

    /** The suite must never make the server answer 5xx: bad input is always a 4xx problem. */
    @AfterAll
    static void noServerErrors() {
        if (lastMeters == null) return;
        double errors =
                Search.in(lastMeters).name("http.server.requests").tag("outcome", "SERVER_ERROR").timers().stream()
                        .mapToDouble(t -> t.count())
                        .sum();
        assertThat(errors).as("5xx responses served during the suite").isZero();
    }
}
