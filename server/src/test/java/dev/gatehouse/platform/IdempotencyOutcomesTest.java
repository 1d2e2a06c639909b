package dev.gatehouse.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatehouse.support.EndToEndTest;
import dev.gatehouse.support.TestClock;
import jakarta.servlet.FilterChain;
import jakarta.servlet.http.HttpServletResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

/**
 * Outcomes that the suite must not produce over HTTP (it asserts no 5xx is ever served): the real
 * {@link IdempotencyFilter} bean and its table, driven with servlet test doubles and a handler stand-in.
 * Also the purge of expired keys.
 */
class IdempotencyOutcomesTest extends EndToEndTest {

    @Autowired
    private IdempotencyFilter filter;

    @Autowired
    private IdempotencyKeyPurge purge;

    @Autowired
    private IdempotencyKeys keys;

    @Autowired
    private JdbcClient jdbc;

    @Autowired
    private TestClock clock;

    private final AtomicInteger executions = new AtomicInteger();

    @AfterEach
    void realTime() {
        clock.reset();
    }

    private static MockHttpServletRequest post(String key) {
        MockHttpServletRequest request = new MockHttpServletRequest("POST", "/api/v1/test-support/charges");
        request.addHeader("Idempotency-Key", key);
        request.setContentType("application/json");
        request.setContent("{\"amount\":5}".getBytes(StandardCharsets.UTF_8));
        return request;
    }

    /** A handler stand-in that answers {@code status} and counts how often it ran. */
    private FilterChain answering(int status) {
        return (request, response) -> {
            executions.incrementAndGet();
            // The body must reach the handler even though the filter read it for the fingerprint.
            assertThat(new String(request.getInputStream().readAllBytes(), StandardCharsets.UTF_8))
                    .isEqualTo("{\"amount\":5}");
            HttpServletResponse http = (HttpServletResponse) response;
            http.setStatus(status);
            http.setContentType("application/json");
            http.getWriter().write("{\"status\":" + status + "}");
        };
    }

    private long rows(String key) {
        return jdbc.sql("select count(*) from idempotency_keys where key = ?")
                .param(key)
                .query(Long.class)
                .single();
    }

    @Test
    void serverErrorIsNotStoredSoTheRetryRuns() throws Exception {
        String key = UUID.randomUUID().toString();
        MockHttpServletResponse failed = new MockHttpServletResponse();
        filter.doFilter(post(key), failed, answering(503));
        assertThat(failed.getStatus()).isEqualTo(503);
        assertThat(rows(key)).isZero();

        MockHttpServletResponse retried = new MockHttpServletResponse();
        filter.doFilter(post(key), retried, answering(201));
        assertThat(retried.getStatus()).isEqualTo(201);
        assertThat(executions).hasValue(2);

        MockHttpServletResponse replayed = new MockHttpServletResponse();
        filter.doFilter(post(key), replayed, answering(500));
        assertThat(replayed.getStatus()).isEqualTo(201);
        assertThat(replayed.getHeader("Idempotent-Replayed")).isEqualTo("true");
        assertThat(replayed.getContentAsString()).isEqualTo("{\"status\":201}");
        assertThat(executions).hasValue(2);
    }

    @Test
    void exceptionEscapingTheHandlerReleasesTheKey() throws Exception {
        String key = UUID.randomUUID().toString();
        FilterChain exploding = (request, response) -> {
            executions.incrementAndGet();
            throw new IllegalStateException("boom");
        };
        assertThatThrownBy(() -> filter.doFilter(post(key), new MockHttpServletResponse(), exploding))
                .hasMessage("boom");
        assertThat(rows(key)).isZero();

        filter.doFilter(post(key), new MockHttpServletResponse(), answering(200));
        assertThat(executions).hasValue(2);
    }

    @Test
    void tooManyRequestsIsNotStored() throws Exception {
        String key = UUID.randomUUID().toString();
        filter.doFilter(post(key), new MockHttpServletResponse(), answering(429));
        assertThat(rows(key)).isZero();
    }

    @Test
    void abandonedClaimIsTakenOverAfterTheInProgressTimeout() throws Exception {
        String key = UUID.randomUUID().toString();
        // The claim of a request whose node died mid-request: in progress, and never completed.
        MockHttpServletRequest request = post(key);
        byte[] fingerprint = IdempotencyFilter.fingerprint(request, request.getContentAsByteArray());
        assertThat(keys.claim(
                        "anonymous",
                        key,
                        fingerprint,
                        UUID.randomUUID(),
                        clock.instant(),
                        clock.instant().plus(Duration.ofHours(24)),
                        clock.instant().minus(Duration.ofMinutes(10))))
                .isTrue();

        MockHttpServletResponse stillRunning = new MockHttpServletResponse();
        filter.doFilter(post(key), stillRunning, answering(201));
        assertThat(stillRunning.getStatus()).isEqualTo(409);
        assertThat(executions).hasValue(0);

        clock.advance(Duration.ofMinutes(11));
        MockHttpServletResponse takenOver = new MockHttpServletResponse();
        filter.doFilter(post(key), takenOver, answering(201));
        assertThat(takenOver.getStatus()).isEqualTo(201);
        assertThat(takenOver.getHeader("Idempotent-Replayed")).isNull();
        assertThat(executions).hasValue(1);
    }

    @Test
    void purgeDeletesOnlyExpiredKeys() throws Exception {
        String old = UUID.randomUUID().toString();
        filter.doFilter(post(old), new MockHttpServletResponse(), answering(201));
        clock.advance(Duration.ofHours(12));
        String recent = UUID.randomUUID().toString();
        filter.doFilter(post(recent), new MockHttpServletResponse(), answering(201));

        clock.advance(Duration.ofHours(12).plusSeconds(1));
        assertThat(purge.purge()).isGreaterThanOrEqualTo(1);
        assertThat(rows(old)).isZero();
        assertThat(rows(recent)).isEqualTo(1);
    }
}
