package dev.gatehouse.identity;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.platform.OpaqueTokens;
import dev.gatehouse.support.EndToEndTest;
import dev.gatehouse.support.Http;
import dev.gatehouse.support.TestAccounts;
import dev.gatehouse.support.TestClock;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The purge of sign-in data: what an ended family loses, what a live family keeps (reuse detection must
 * still revoke it), and when an ended session goes. Time moves with the app's {@link TestClock}; the purge
 * is run directly, the way its schedule runs it.
 */
class RefreshTokenPurgeTest extends EndToEndTest {

    @Autowired
    TestClock clock;

    @Autowired
    JdbcClient db;

    @Autowired
    RefreshTokenPurge purge;

    @Autowired
    MeterRegistry meters;

    TestAccounts accounts;

    @BeforeEach
    void setUp() {
        accounts = new TestAccounts(http, SMTP);
    }

    @AfterEach
    void resetClock() {
        clock.reset();
    }

    @Test
    void rotatedTokensOfAnEndedFamilyArePurgedAfterTheGraceAndALiveFamilyStillCatchesReuse() {
        TestAccounts.Account ended = accounts.create("purge-ended");
        String endedLast = rotate(rotate(rotate(ended.refreshToken())));
        UUID endedSession = sessionOf(endedLast);
        assertThat(http.post("/api/v1/auth/logout")
                        .json("refresh_token", endedLast)
                        .send()
                        .status())
                .isEqualTo(204);

        TestAccounts.Account live = accounts.create("purge-live");
        String stolen = live.refreshToken();
        String liveLast = rotate(rotate(stolen));
        UUID liveSession = sessionOf(liveLast);

        purge.run();
        assertThat(tokens(endedSession, "rotated"))
                .as("inside the reuse grace an ended family keeps its tokens")
                .isEqualTo(3);

        // Weeks later the live family is still refreshing; the ended one is past the grace.
        clock.advance(Duration.ofDays(20));
        liveLast = rotate(liveLast);
        double purgedBefore = purgedTokens();
        purge.run();

        assertThat(tokens(endedSession, "rotated")).isZero();
        assertThat(tokens(endedSession, "revoked"))
                .as("the family's last token stays with its session")
                .isEqualTo(1);
        assertThat(sessionExists(endedSession))
                .as("kept for the session history")
                .isTrue();
        assertThat(purgedTokens() - purgedBefore).isGreaterThanOrEqualTo(3);
        assertThat(refresh(ended.refreshToken()).code()).isEqualTo("invalid_refresh_token");
        assertThat(refresh(endedLast).code()).isEqualTo("invalid_refresh_token");

        assertThat(tokens(liveSession, "rotated"))
                .as("a live family keeps every rotated token, however old")
                .isEqualTo(3);
        // The 20-day-old first token comes back: the family is revoked, the current token with it.
        Http.Response reuse = refresh(stolen);
        assertThat(reuse.status()).isEqualTo(401);
        assertThat(reuse.code()).isEqualTo("refresh_token_reused");
        assertThat(refresh(liveLast).code()).isEqualTo("invalid_refresh_token");
        assertThat(db.sql("select revoke_reason from sessions where id = :id")
                        .param("id", liveSession)
                        .query(String.class)
                        .single())
                .isEqualTo("refresh_token_reused");
    }

    @Test
    void anExpiredSessionLosesItsRotatedTokensThenGoesAfterTheRetention() {
        TestAccounts.Account a = accounts.create("purge-retention");
        String last = rotate(rotate(a.refreshToken()));
        UUID session = sessionOf(last);

        clock.advance(Duration.ofDays(90).plusMinutes(1)); // past the session's absolute lifetime
        purge.run();
        assertThat(tokens(session, "rotated")).isZero();
        assertThat(refresh(last).code())
                .as("the family's last token still answers as before")
                .isEqualTo("refresh_token_expired");

        clock.advance(Duration.ofDays(29)); // 30 days of retention from the session's end
        purge.run();
        assertThat(sessionExists(session)).isTrue();

        clock.advance(Duration.ofDays(1));
        double sessionsBefore = meters.counter("gatehouse.sessions.purged").count();
        purge.run();
        assertThat(sessionExists(session)).isFalse();
        assertThat(db.sql("select count(*) from refresh_tokens where session_id = :id")
                        .param("id", session)
                        .query(Long.class)
                        .single())
                .isZero();
        assertThat(meters.counter("gatehouse.sessions.purged").count()).isGreaterThan(sessionsBefore);
    }

    private Http.Response refresh(String token) {
        return http.post("/api/v1/auth/token/refresh")
                .json("refresh_token", token)
                .send();
    }

    private String rotate(String token) {
        Http.Response r = refresh(token);
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        return r.json().get("refresh_token").asString();
    }

    private UUID sessionOf(String token) {
        return db.sql("select session_id from refresh_tokens where token_hash = :hash")
                .param("hash", OpaqueTokens.sha256(token))
                .query(UUID.class)
                .single();
    }

    private long tokens(UUID session, String state) {
        return db.sql("select count(*) from refresh_tokens where session_id = :id and state = :state")
                .param("id", session)
                .param("state", state)
                .query(Long.class)
                .single();
    }

    private boolean sessionExists(UUID session) {
        return db.sql("select exists (select 1 from sessions where id = :id)")
                .param("id", session)
                .query(Boolean.class)
                .single();
    }

    private double purgedTokens() {
        return meters.counter("gatehouse.refresh_tokens.purged").count();
    }
}
