package dev.gatehouse.identity;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.support.EndToEndTest;
import dev.gatehouse.support.Http;
import dev.gatehouse.support.TestAccounts;
import dev.gatehouse.support.TestClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Brute-force protection over HTTP with the default limits (10 failed sign-ins per account per hour, 5
 * sign-ups per IP per hour). Each test uses its own client IP through X-Forwarded-For, which the app
 * trusts from a loopback peer, so the tests neither see nor disturb each other's counters.
 */
class SignInThrottleTest extends EndToEndTest {

    private static final AtomicInteger NEXT_IP = new AtomicInteger(1);

    @Autowired
    TestClock clock;

    private TestAccounts accounts;
    private String ip;

    @BeforeEach
    void setUp() {
        accounts = new TestAccounts(http, SMTP);
        ip = "198.51.100." + NEXT_IP.getAndIncrement();
    }

    @AfterEach
    void resetClock() {
        clock.reset();
    }

    private Http.Response login(String email, String password, String fromIp) {
        return http.post("/api/v1/auth/login")
                .header("X-Forwarded-For", fromIp)
                .json("email", email, "password", password)
                .send();
    }

    @Test
    void tenFailuresLockTheAccountForKnownAndUnknownEmailsAlike() {
        TestAccounts.Account known = accounts.create("locked");
        String unknown = TestAccounts.uniqueEmail("nobody");
        for (String email : List.of(known.email(), unknown)) {
            for (int i = 1; i <= 10; i++) {
                Http.Response r = login(email, "Wrong password number " + i, ip);
                assertThat(r.status()).as("attempt %d for %s", i, email).isEqualTo(401);
                assertThat(r.code()).isEqualTo("invalid_credentials");
            }
            // Locked now, even with the right password, and the answer is the same for both emails.
            Http.Response locked = login(email, TestAccounts.PASSWORD, ip);
            assertThat(locked.status()).isEqualTo(429);
            assertThat(locked.code()).isEqualTo("too_many_attempts");
            assertThat(Long.parseLong(locked.header("Retry-After"))).isBetween(3000L, 3600L);
            // From another IP too: the lock is on the account.
            assertThat(login(email, TestAccounts.PASSWORD, "198.51.100.250").status())
                    .isEqualTo(429);
        }

        // The window ends: the account signs in again.
        clock.advance(Duration.ofMinutes(61));
        assertThat(login(known.email(), TestAccounts.PASSWORD, ip).status()).isEqualTo(200);
    }

    @Test
    void repeatedLockoutsGrowExponentially() {
        TestAccounts.Account a = accounts.create("repeat");
        List<Long> retryAfters = new ArrayList<>();
        for (int lockout = 0; lockout < 5; lockout++) {
            for (int i = 0; i < 10; i++) login(a.email(), "Wrong password " + i, ip);
            Http.Response r = login(a.email(), TestAccounts.PASSWORD, ip);
            assertThat(r.status()).isEqualTo(429);
            long retryAfter = Long.parseLong(r.header("Retry-After"));
            retryAfters.add(retryAfter);
            clock.advance(Duration.ofSeconds(retryAfter + 1));
        }
        // Locked until the hour's window ends, or for 15 min doubling per lockout when that is longer:
        // 15, 30, 60 min are inside the window; then 2 h, 4 h.
        assertThat(retryAfters).hasSize(5);
        for (int i = 0; i < 3; i++) assertThat(retryAfters.get(i)).isBetween(3595L, 3600L);
        assertThat(retryAfters.get(3)).isBetween(7195L, 7200L);
        assertThat(retryAfters.get(4)).isBetween(14395L, 14400L);
        assertThat(login(a.email(), TestAccounts.PASSWORD, ip).status()).isEqualTo(200);
    }

    @Test
    void wrongSecondFactorsCountEvenAfterARightPassword() {
        TwoFactorAccounts twoFactor = new TwoFactorAccounts(http, accounts, clock);
        TwoFactorAccounts.Enrolled e = twoFactor.create("mfa-guesser");
        // A guesser who knows the password: sign in again after every few wrong codes. The right password
        // must not forgive the wrong codes; only a complete sign-in does.
        int wrong = 0;
        while (wrong < 10) {
            String mfaToken = twoFactor.mfaToken(e.email());
            for (int i = 0; i < 3 && wrong < 10; i++, wrong++) {
                assertThat(twoFactor.loginMfa(mfaToken, "000000").status()).isEqualTo(401);
            }
        }
        Http.Response locked = login(e.email(), TestAccounts.PASSWORD, ip);
        assertThat(locked.status()).isEqualTo(429);
        assertThat(locked.code()).isEqualTo("too_many_attempts");
    }

    @Test
    void aSuccessForgetsEarlierFailures() {
        TestAccounts.Account a = accounts.create("forgiven");
        for (int round = 0; round < 3; round++) {
            for (int i = 0; i < 9; i++)
                assertThat(login(a.email(), "Wrong " + i, ip).status()).isEqualTo(401);
            assertThat(login(a.email(), TestAccounts.PASSWORD, ip).status()).isEqualTo(200);
        }
    }

    @Test
    void concurrentFailuresLockExactlyAtTheLimit() throws Exception {
        TestAccounts.Account a = accounts.create("concurrent");
        List<Integer> statuses = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(16)) {
            List<Future<Integer>> futures = new ArrayList<>();
            for (int i = 0; i < 30; i++) {
                int n = i;
                futures.add(pool.submit(
                        () -> login(a.email(), "Wrong concurrent " + n, ip).status()));
            }
            for (Future<Integer> f : futures) statuses.add(f.get());
        }
        // Some attempts were checked before the lock landed; never more than the limit got a password check
        // past the point of locking, and the account ends locked.
        assertThat(statuses).containsOnly(401, 429);
        assertThat(statuses.stream().filter(s -> s == 401).count()).isGreaterThanOrEqualTo(10);
        assertThat(login(a.email(), TestAccounts.PASSWORD, ip).status()).isEqualTo(429);
    }

    @Test
    void fiveSignUpsPerIpPerHour() {
        for (int i = 0; i < 5; i++) {
            Http.Response r = http.post("/api/v1/auth/register")
                    .header("X-Forwarded-For", ip)
                    .json("email", TestAccounts.uniqueEmail("signup"), "password", TestAccounts.PASSWORD, "name", "N")
                    .send();
            assertThat(r.status()).as(r.toString()).isEqualTo(201);
        }
        Http.Response sixth = http.post("/api/v1/auth/register")
                .header("X-Forwarded-For", ip)
                .json("email", TestAccounts.uniqueEmail("signup"), "password", TestAccounts.PASSWORD, "name", "N")
                .send();
        assertThat(sixth.status()).isEqualTo(429);
        assertThat(sixth.code()).isEqualTo("too_many_attempts");
        // Another IP is not affected.
        Http.Response other = http.post("/api/v1/auth/register")
                .header("X-Forwarded-For", "198.51.100.251")
                .json("email", TestAccounts.uniqueEmail("signup"), "password", TestAccounts.PASSWORD, "name", "N")
                .send();
        assertThat(other.status()).isEqualTo(201);
    }

    @Test
    void supportClearsALockout() {
        TestAccounts.Account a = accounts.create("cleared");
        for (int i = 0; i < 10; i++) login(a.email(), "Wrong " + i, ip);
        assertThat(login(a.email(), TestAccounts.PASSWORD, ip).status()).isEqualTo(429);

        TestAccounts.Account plain = accounts.create("not-support");
        String userId = http.get("/api/v1/me")
                .bearer(a.accessToken())
                .send()
                .json()
                .get("id")
                .asString();
        String lockout = "/api/v1/admin/users/" + userId + "/sign-in-lockout";
        assertThat(http.delete(lockout).bearer(plain.accessToken()).send().status())
                .isEqualTo(403);
        assertThat(http.delete(lockout).send().status()).isEqualTo(401);

        String admin = accounts.admin().accessToken();
        Http.Response cleared = http.delete(lockout).bearer(admin).send();
        assertThat(cleared.status()).as(cleared.toString()).isEqualTo(200);
        assertThat(cleared.json().get("subject").asString()).isEqualTo("user:" + userId);
        assertThat(cleared.json().get("cleared").asInt()).isEqualTo(1);
        assertThat(login(a.email(), TestAccounts.PASSWORD, ip).status()).isEqualTo(200);

        assertThat(http.delete("/api/v1/admin/users/not-a-uuid/sign-in-lockout")
                        .bearer(admin)
                        .send()
                        .status())
                .isEqualTo(400);
        assertThat(http.delete("/api/v1/admin/users/" + java.util.UUID.randomUUID() + "/sign-in-lockout")
                        .bearer(admin)
                        .send()
                        .status())
                .isEqualTo(404);
        // /api/v1/admin/ratelimits belongs to the rate-limit module: clearing a user's request limits there
        // leaves identity's lockout alone.
        for (int i = 0; i < 10; i++) login(a.email(), "Wrong again " + i, ip);
        assertThat(login(a.email(), TestAccounts.PASSWORD, ip).code()).isEqualTo("too_many_attempts");
        assertThat(http.delete("/api/v1/admin/ratelimits/user:" + userId)
                        .bearer(admin)
                        .send()
                        .status())
                .isEqualTo(200);
        assertThat(login(a.email(), TestAccounts.PASSWORD, ip).code()).isEqualTo("too_many_attempts");
    }

    @Test
    void supportClearsTheLockoutOfAnAddressWithoutAnAccount() {
        String unknown = TestAccounts.uniqueEmail("no-account");
        for (int i = 0; i < 10; i++) login(unknown, "Wrong " + i, ip);
        assertThat(login(unknown, TestAccounts.PASSWORD, ip).status()).isEqualTo(429);

        String path = "/api/v1/admin/sign-in-lockouts/email/" + unknown.toUpperCase(java.util.Locale.ROOT);
        TestAccounts.Account plain = accounts.create("not-support");
        assertThat(http.delete(path).bearer(plain.accessToken()).send().status())
                .isEqualTo(403);
        Http.Response cleared =
                http.delete(path).bearer(accounts.admin().accessToken()).send();
        assertThat(cleared.status()).as(cleared.toString()).isEqualTo(200);
        assertThat(cleared.json().get("subject").asString()).isEqualTo("email:" + unknown);
        assertThat(cleared.json().get("cleared").asInt()).isEqualTo(1);
        // Locked again only after ten new failures: the counter is gone, not just the lock.
        assertThat(login(unknown, TestAccounts.PASSWORD, ip).status()).isEqualTo(401);

        Http.Response tooLong = http.delete("/api/v1/admin/sign-in-lockouts/email/" + "a".repeat(255))
                .bearer(accounts.admin().accessToken())
                .send();
        assertThat(tooLong.status()).isEqualTo(400);
        assertThat(tooLong.code()).isEqualTo("invalid_subject");
    }

    @Test
    void supportClearsTheSignUpLimitOfAnIp() {
        for (int i = 0; i < 5; i++) {
            Http.Response r = http.post("/api/v1/auth/register")
                    .header("X-Forwarded-For", ip)
                    .json("email", TestAccounts.uniqueEmail("signup"), "password", TestAccounts.PASSWORD)
                    .send();
            assertThat(r.status()).as(r.toString()).isEqualTo(201);
        }
        Http.Response sixth = http.post("/api/v1/auth/register")
                .header("X-Forwarded-For", ip)
                .json("email", TestAccounts.uniqueEmail("signup"), "password", TestAccounts.PASSWORD)
                .send();
        assertThat(sixth.status()).isEqualTo(429);

        Http.Response cleared = http.delete("/api/v1/admin/sign-in-lockouts/ip/" + ip)
                .bearer(accounts.admin().accessToken())
                .send();
        assertThat(cleared.status()).as(cleared.toString()).isEqualTo(200);
        assertThat(cleared.json().get("subject").asString()).isEqualTo("ip:" + ip);
        assertThat(cleared.json().get("cleared").asInt()).isEqualTo(1);
        Http.Response again = http.post("/api/v1/auth/register")
                .header("X-Forwarded-For", ip)
                .json("email", TestAccounts.uniqueEmail("signup"), "password", TestAccounts.PASSWORD)
                .send();
        assertThat(again.status()).as(again.toString()).isEqualTo(201);
    }
}
