package dev.gatehouse.identity;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.support.EndToEndTest;
import dev.gatehouse.support.Http;
import dev.gatehouse.support.TestAccounts;
import dev.gatehouse.support.TestClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/** Refresh-token rotation, reuse detection (RFC 9700 §4.14.2), the concurrency grace window, expiry. */
class RefreshTokenTest extends EndToEndTest {

    @Autowired
    TestClock clock;

    @Autowired
    JdbcClient db;

    TestAccounts accounts;

    @BeforeEach
    void setUp() {
        accounts = new TestAccounts(http, SMTP);
    }

    @AfterEach
    void resetClock() {
        clock.reset();
    }

    private Http.Response refresh(String token) {
        return http.post("/api/v1/auth/token/refresh")
                .json("refresh_token", token)
                .send();
    }

    @Test
    void everyRefreshRotatesTheToken() {
        TestAccounts.Account a = accounts.create("rotate");
        Http.Response first = refresh(a.refreshToken());
        assertThat(first.status()).as(first.toString()).isEqualTo(200);
        String t1 = first.json().get("refresh_token").asString();
        clock.advance(Duration.ofSeconds(30));
        Http.Response second = refresh(t1);
        assertThat(second.status()).isEqualTo(200);
        String t2 = second.json().get("refresh_token").asString();
        assertThat(Set.of(a.refreshToken(), t1, t2)).hasSize(3);
        assertThat(http.get("/api/v1/me")
                        .bearer(second.json().get("access_token").asString())
                        .send()
                        .status())
                .isEqualTo(200);
    }

    @Test
    void reusedRefreshTokenRevokesFamily() {
        TestAccounts.Account a = accounts.create("reuse");
        String t1 = refresh(a.refreshToken()).json().get("refresh_token").asString();
        clock.advance(Duration.ofSeconds(11)); // past the 10 s grace window

        Http.Response reuse = refresh(a.refreshToken());
        assertThat(reuse.status()).isEqualTo(401);
        assertThat(reuse.code()).isEqualTo("refresh_token_reused");

        // The legitimate holder's newer token dies with the family, and so does the session.
        Http.Response successor = refresh(t1);
        assertThat(successor.status()).isEqualTo(401);
        assertThat(successor.code()).isEqualTo("invalid_refresh_token");
        assertThat(http.get("/api/v1/me").bearer(a.accessToken()).send().code()).isEqualTo("session_revoked");
    }

    @Test
    void reuseWithinGraceReturnsTheSameSuccessor() {
        TestAccounts.Account a = accounts.create("grace");
        Http.Response first = refresh(a.refreshToken());
        Http.Response again = refresh(a.refreshToken());
        assertThat(again.status()).as(again.toString()).isEqualTo(200);
        assertThat(again.json().get("refresh_token").asString())
                .isEqualTo(first.json().get("refresh_token").asString());
    }

    @Test
    void reuseAfterTheSuccessorWasUsedRevokesFamilyEvenWithinGrace() {
        TestAccounts.Account a = accounts.create("chain");
        String t1 = refresh(a.refreshToken()).json().get("refresh_token").asString();
        String t2 = refresh(t1).json().get("refresh_token").asString();
        Http.Response replay = refresh(a.refreshToken());
        assertThat(replay.code()).isEqualTo("refresh_token_reused");
        assertThat(refresh(t2).status()).isEqualTo(401);
    }

    @Test
    void expiredRefreshTokenIsRefused() {
        TestAccounts.Account a = accounts.create("expiry");
        clock.advance(Duration.ofDays(31));
        Http.Response r = refresh(a.refreshToken());
        assertThat(r.status()).isEqualTo(401);
        assertThat(r.code()).isEqualTo("refresh_token_expired");
    }

    @Test
    void accessTokenExpiresAfterTenMinutes() {
        TestAccounts.Account a = accounts.create("access-expiry");
        assertThat(http.get("/api/v1/me").bearer(a.accessToken()).send().status())
                .isEqualTo(200);
        clock.advance(Duration.ofMinutes(10).plusSeconds(1));
        Http.Response r = http.get("/api/v1/me").bearer(a.accessToken()).send();
        assertThat(r.status()).isEqualTo(401);
        assertThat(r.code()).isEqualTo("invalid_token");
        assertThat(r.header("WWW-Authenticate")).contains("invalid_token");
    }

    @Test
    void unknownAndMalformedRefreshTokensAreRefused() {
        assertThat(refresh("ghr_" + "A".repeat(43)).code()).isEqualTo("invalid_refresh_token");
        assertThat(refresh("not-a-token").code()).isEqualTo("invalid_refresh_token");
    }

    @Test
    void hundredConcurrentRefreshesOfOneTokenNeverYieldTwoLiveTokens() throws Exception {
        TestAccounts.Account a = accounts.create("concurrent");
        int n = 100;
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Http.Response>> futures = new ArrayList<>();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < n; i++) {
                futures.add(pool.submit(() -> {
                    start.await();
                    return refresh(a.refreshToken());
                }));
            }
            start.countDown();
            Set<String> issued = ConcurrentHashMap.newKeySet();
            int ok = 0;
            for (Future<Http.Response> f : futures) {
                Http.Response r = f.get();
                if (r.status() == 200) {
                    ok++;
                    issued.add(r.json().get("refresh_token").asString());
                } else {
                    assertThat(r.status()).as(r.toString()).isEqualTo(401);
                }
            }
            // Everyone inside the grace window gets the same successor: one family, one live token.
            assertThat(ok).isEqualTo(n);
            assertThat(issued).hasSize(1);
        }
        UUID user = UUID.fromString(http.get("/api/v1/me")
                .bearer(a.accessToken())
                .send()
                .json()
                .get("id")
                .asString());
        Long liveTokens = db.sql("""
                select count(*) from refresh_tokens rt join sessions s on s.id = rt.session_id
                where s.user_id = :user and rt.state = 'active' and s.revoked_at is null
                """).param("user", user).query(Long.class).single();
        Long liveSessions = db.sql("select count(*) from sessions where user_id = :user and revoked_at is null")
                .param("user", user)
                .query(Long.class)
                .single();
        assertThat(liveTokens).isEqualTo(1);
        assertThat(liveSessions).isEqualTo(1);
    }
}
