package dev.gatehouse.subscription;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.support.Http;
import dev.gatehouse.support.TestAccounts;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * A user's concurrent sessions stay within their plan's {@code sessions} limit: signing in beyond it ends the oldest
 * session, one sign-in at a time or many at once; a bigger plan raises the limit.
 */
class SessionLimitTest extends SubscriptionEndToEndTest {

    static final int FREE_SESSIONS = 3;

    int liveSessions(String token) {
        Http.Response r = http.get("/api/v1/me/sessions").bearer(token).send();
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        return r.json().get("data").size();
    }

    @Test
    void signingInBeyondTheFreePlansLimitEndsTheOldestSession() {
        User user = user("sessions"); // one session so far
        List<String> tokens = new ArrayList<>(List.of(user.token()));
        for (int i = 1; i < FREE_SESSIONS; i++) {
            tokens.add(accounts.login(user.email(), TestAccounts.PASSWORD).accessToken());
        }
        assertThat(liveSessions(tokens.getLast())).isEqualTo(FREE_SESSIONS);
        assertThat(http.get("/api/v1/me").bearer(tokens.getFirst()).send().status())
                .isEqualTo(200);

        String newest = accounts.login(user.email(), TestAccounts.PASSWORD).accessToken();
        assertThat(liveSessions(newest)).isEqualTo(FREE_SESSIONS);
        Http.Response oldest = http.get("/api/v1/me").bearer(tokens.getFirst()).send();
        assertThat(oldest.status()).as("the oldest session ended: " + oldest).isEqualTo(401);
        assertThat(http.get("/api/v1/me").bearer(tokens.get(1)).send().status()).isEqualTo(200);
        assertThat(db.sql("select count(*) from sessions where user_id = :user and revoke_reason = 'session_limit'")
                        .param("user", user.id())
                        .query(Integer.class)
                        .single())
                .isOne();

        // Pro allows 10: the next sign-ins end nothing.
        assertThat(overrideTo(admin(), user.personalOrg(), "pro").status()).isEqualTo(200);
        String last = null;
        for (int i = 0; i < 5; i++)
            last = accounts.login(user.email(), TestAccounts.PASSWORD).accessToken();
        assertThat(liveSessions(last)).isEqualTo(FREE_SESSIONS + 5);
        assertThat(http.get("/api/v1/me").bearer(newest).send().status()).isEqualTo(200);
    }

    @Test
    void manySignInsAtOnceNeverLeaveMoreThanTheLimitOpen() throws Exception {
        User user = user("sessions-race");
        int threads = 12;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Callable<Integer>> logins = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                logins.add(() -> http.post("/api/v1/auth/login")
                        .json("email", user.email(), "password", TestAccounts.PASSWORD)
                        .send()
                        .status());
            }
            for (Future<Integer> status : pool.invokeAll(logins))
                assertThat(status.get()).isEqualTo(200);
        } finally {
            pool.shutdownNow();
        }
        assertThat(db.sql("select count(*) from sessions where user_id = :user and revoked_at is null")
                        .param("user", user.id())
                        .query(Integer.class)
                        .single())
                .isEqualTo(FREE_SESSIONS);
        assertThat(db.sql("select count(*) from sessions where user_id = :user and revoke_reason = 'session_limit'")
                        .param("user", user.id())
                        .query(Integer.class)
                        .single())
                .isEqualTo(threads + 1 - FREE_SESSIONS);
    }
}
