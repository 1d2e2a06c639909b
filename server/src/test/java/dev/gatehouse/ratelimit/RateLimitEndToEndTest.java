package dev.gatehouse.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.support.EndToEndTest;
import dev.gatehouse.support.Http;
import dev.gatehouse.support.Poll;
import dev.gatehouse.support.TestAccounts;
import dev.gatehouse.support.TestClock;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/**
 * The limits over HTTP with the default policies. Each test sends from client addresses of its own in
 * 203.0.113.0/24 (X-Forwarded-For, trusted from the loopback peer), which the test profile does not exempt.
 */
class RateLimitEndToEndTest extends EndToEndTest {

    private static final AtomicInteger NEXT_IP = new AtomicInteger(1);

    @Autowired
    TestClock clock;

    @Autowired
    MeterRegistry meters;

    TestAccounts accounts;
    String ip;

    @BeforeEach
    void setUp() {
        accounts = new TestAccounts(http, SMTP);
        ip = nextIp();
        // Exact headers need a clock that does not move while the requests take their (real, loaded) time.
        clock.freeze();
    }

    @AfterEach
    void resetClock() {
        clock.reset();
    }

    static String nextIp() {
        int n = NEXT_IP.getAndIncrement();
        return "203.0.113." + (n % 250 + 1) + (n >= 250 ? "" : "");
    }

    /** An anonymous request from the IP: a refresh with a token that does not exist (401, and cheap). */
    Http.Response anonymous(String from) {
        return http.post("/api/v1/auth/token/refresh")
                .header("X-Forwarded-For", from)
                .json("refresh_token", "ghr_" + "x".repeat(43))
                .send();
    }

    static void assertProblem(Http.Response r, int status, String code) {
        assertThat(r.status()).as(r.toString()).isEqualTo(status);
        assertThat(r.header("Content-Type")).as(r.toString()).startsWith("application/problem+json");
        assertThat(r.code()).as(r.toString()).isEqualTo(code);
    }

    @Test
    void anonymousCallersGetTenAtOnceThenOneEveryTwoSecondsWithTheHeaders() {
        for (int i = 1; i <= 10; i++) {
            Http.Response r = anonymous(ip);
            assertThat(r.status()).as(r.toString()).isEqualTo(401);
            assertThat(r.header("RateLimit-Policy")).isEqualTo("\"anonymous\";q=10;w=20");
            assertThat(r.header("RateLimit")).isEqualTo("\"anonymous\";r=" + (10 - i) + ";t=" + 2 * i);
            assertThat(r.header("X-RateLimit-Limit")).isEqualTo("10");
            assertThat(r.header("X-RateLimit-Remaining")).isEqualTo(Integer.toString(10 - i));
            assertThat(r.header("X-RateLimit-Reset")).isEqualTo(Integer.toString(2 * i));
        }
        Http.Response refused = anonymous(ip);
        assertProblem(refused, 429, "rate_limited");
        assertThat(refused.header("Retry-After")).isEqualTo("2");
        assertThat(refused.json().get("policy").asString()).isEqualTo("anonymous");
        assertThat(refused.header("X-RateLimit-Remaining")).isEqualTo("0");
        // Another client is not affected; two seconds later this one gets one more.
        assertThat(anonymous(nextIp()).status()).isEqualTo(401);
        clock.advance(Duration.ofSeconds(2));
        assertThat(anonymous(ip).status()).isEqualTo(401);
        assertProblem(anonymous(ip), 429, "rate_limited");
    }

    @Test
    void browsersMayReadTheHeaders() {
        Http.Response r = http.post("/api/v1/auth/token/refresh")
                .header("X-Forwarded-For", ip)
                .header("Origin", "https://app.example.com")
                .json("refresh_token", "ghr_" + "x".repeat(43))
                .send();
        assertThat(r.header("Access-Control-Expose-Headers"))
                .contains("RateLimit", "RateLimit-Policy", "X-RateLimit-Remaining", "Retry-After");
    }

    @Test
    void requestsFromExemptAddressesAreNotLimited() {
        // The test profile exempts 127.0.0.1, which every other test sends from.
        Http.Response r = http.post("/api/v1/auth/token/refresh")
                .json("refresh_token", "ghr_" + "x".repeat(43))
                .send();
        assertThat(r.status()).isEqualTo(401);
        assertThat(r.header("RateLimit")).isNull();
        assertThat(r.header("X-RateLimit-Limit")).isNull();
    }

    @Test
    void aUserIsCountedByTheirPlanWhateverTheirAddress() {
        TestAccounts.Account a = accounts.create("rl-user");
        for (int i = 1; i <= 20; i++) {
            Http.Response me = http.get("/api/v1/me")
                    .bearer(a.accessToken())
                    .header("X-Forwarded-For", nextIp())
                    .send();
            assertThat(me.status()).as(me.toString()).isEqualTo(200);
            assertThat(me.header("RateLimit-Policy")).isEqualTo("\"free\";q=20;w=20");
            assertThat(me.header("X-RateLimit-Remaining")).isEqualTo(Integer.toString(20 - i));
        }
        Http.Response refused = http.get("/api/v1/me")
                .bearer(a.accessToken())
                .header("X-Forwarded-For", ip)
                .send();
        assertProblem(refused, 429, "rate_limited");
        assertThat(refused.header("Retry-After")).isEqualTo("1");
        assertThat(refused.json().get("policy").asString()).isEqualTo("free");
    }

    @Test
    void fiveSignUpsPerAddressAnHourThenTheRequestLimitRefuses() {
        for (int i = 1; i <= 5; i++) {
            Http.Response r = http.post("/api/v1/auth/register")
                    .header("X-Forwarded-For", ip)
                    .json("email", TestAccounts.uniqueEmail("rl-signup"), "password", TestAccounts.PASSWORD)
                    .send();
            assertThat(r.status()).as(r.toString()).isEqualTo(201);
            // Both limits are reported; the X- fields follow the stricter one.
            assertThat(r.header("RateLimit-Policy")).isEqualTo("\"anonymous\";q=10;w=20, \"register\";q=5;w=3600");
            assertThat(r.header("RateLimit"))
                    .isEqualTo("\"anonymous\";r=" + (10 - i) + ";t=" + 2 * i + ", \"register\";r=" + (5 - i) + ";t="
                            + 720 * i);
            assertThat(r.header("X-RateLimit-Limit")).isEqualTo("5");
        }
        Http.Response sixth = http.post("/api/v1/auth/register")
                .header("X-Forwarded-For", ip)
                .json("email", TestAccounts.uniqueEmail("rl-signup"), "password", TestAccounts.PASSWORD)
                .send();
        assertProblem(sixth, 429, "rate_limited");
        assertThat(sixth.json().get("policy").asString()).isEqualTo("register");
        assertThat(Long.parseLong(sixth.header("Retry-After"))).isBetween(719L, 720L);
        // One interval later the request limit lets one through, to identity's own lockout of the address, which
        // stays in force behind it.
        clock.advance(Duration.ofMinutes(12));
        Http.Response later = http.post("/api/v1/auth/register")
                .header("X-Forwarded-For", ip)
                .json("email", TestAccounts.uniqueEmail("rl-signup"), "password", TestAccounts.PASSWORD)
                .send();
        assertProblem(later, 429, "too_many_attempts");
        assertThat(later.header("RateLimit")).endsWith(", \"register\";r=0;t=3600");
    }

    @Test
    void tenSignInsPerAccountAnHourFromAnyAddressThenTheRequestLimitIsInFrontOfTheLockout() {
        TestAccounts.Account a = accounts.create("rl-login");
        for (int i = 1; i <= 10; i++) {
            Http.Response r = http.post("/api/v1/auth/login")
                    .header("X-Forwarded-For", nextIp())
                    .json("email", "  " + a.email().toUpperCase(java.util.Locale.ROOT), "password", "Wrong one " + i)
                    .send();
            assertThat(r.status()).as(r.toString()).isEqualTo(401);
        }
        Http.Response eleventh = http.post("/api/v1/auth/login")
                .header("X-Forwarded-For", nextIp())
                .json("email", a.email(), "password", TestAccounts.PASSWORD)
                .send();
        assertProblem(eleventh, 429, "rate_limited");
        assertThat(eleventh.json().get("policy").asString()).isEqualTo("login");
        assertThat(eleventh.header("Retry-After")).isEqualTo("360");
        // Another account from the same addresses is not affected (its body still reaches the handler intact).
        TestAccounts.Account b = accounts.create("rl-login-other");
        Http.Response other = http.post("/api/v1/auth/login")
                .header("X-Forwarded-For", ip)
                .json("email", b.email(), "password", TestAccounts.PASSWORD)
                .send();
        assertThat(other.status()).as(other.toString()).isEqualTo(200);
        assertThat(other.json().get("access_token").asString()).isNotBlank();
    }

    @Test
    void routeGroupsCountByOrganizationAndByCaller() {
        TestAccounts.Account a = accounts.create("rl-groups");
        String personal = http.get("/api/v1/orgs")
                .bearer(a.accessToken())
                .send()
                .json()
                .get("data")
                .get(0)
                .get("id")
                .asString();
        for (int i = 0; i < 3; i++) {
            Http.Response keys = http.get("/api/v1/orgs/" + personal + "/api-keys")
                    .bearer(a.accessToken())
                    .header("X-Forwarded-For", ip)
                    .send();
            assertThat(keys.status()).as(keys.toString()).isEqualTo(200);
            assertThat(keys.header("RateLimit-Policy")).endsWith(", \"tight\";q=3;w=60");
        }
        Http.Response fourth = http.get("/api/v1/orgs/" + personal + "/api-keys")
                .bearer(a.accessToken())
                .header("X-Forwarded-For", ip)
                .send();
        assertProblem(fourth, 429, "rate_limited");
        assertThat(fourth.json().get("policy").asString()).isEqualTo("tight");
        // An id that is not an organization's is left to the route (which answers 400), never counted.
        assertThat(http.get("/api/v1/orgs/not-an-id/api-keys")
                        .bearer(a.accessToken())
                        .header("X-Forwarded-For", ip)
                        .send()
                        .status())
                .isEqualTo(400);

        TestAccounts.Account b = accounts.create("rl-groups-caller");
        for (int i = 0; i < 3; i++) {
            Http.Response r = http.patch("/api/v1/me")
                    .bearer(b.accessToken())
                    .header("X-Forwarded-For", nextIp())
                    .json("name", "Renamed " + i)
                    .send();
            assertThat(r.status()).as(r.toString()).isEqualTo(200);
        }
        assertProblem(
                http.patch("/api/v1/me")
                        .bearer(b.accessToken())
                        .header("X-Forwarded-For", nextIp())
                        .json("name", "Once too often")
                        .send(),
                429,
                "rate_limited");
    }

    @Test
    void aClientThatBacksOffOnTheHeadersMeetsOnly429ItStartedWith() {
        // Someone at the same address spent the allowance; a well-behaved client arrives and sends 40 requests:
        // on 429 it waits Retry-After, and when RateLimit says nothing remains it waits one unit's time (w / q of
        // RateLimit-Policy). Waiting is moving the app's clock.
        for (int i = 0; i < 10; i++) anonymous(ip);
        int refusals = 0;
        int done = 0;
        while (done < 40) {
            Http.Response r = anonymous(ip);
            if (r.status() == 429) {
                refusals++;
                clock.advance(Duration.ofSeconds(Long.parseLong(r.header("Retry-After"))));
                continue;
            }
            assertThat(r.status()).isEqualTo(401);
            done++;
            if (item(r.header("RateLimit"), "r") == 0) {
                String policy = r.header("RateLimit-Policy");
                double perUnit = (double) item(policy, "w") / item(policy, "q");
                clock.advance(Duration.ofMillis((long) Math.ceil(perUnit * 1000)));
            }
        }
        assertThat(refusals).isEqualTo(1);
    }

    /** A parameter of the first item of a RateLimit or RateLimit-Policy field. */
    static long item(String field, String parameter) {
        for (String p : field.split(",")[0].split(";")) {
            if (p.startsWith(parameter + "=")) return Long.parseLong(p.substring(parameter.length() + 1));
        }
        throw new AssertionError(parameter + " not in " + field);
    }

    @Test
    void breachesAreCountedAndSampledIntoTheAuditLogOncePerMinute() {
        double before = breaches("anonymous", "ip");
        for (int i = 0; i < 15; i++) anonymous(ip);
        assertThat(breaches("anonymous", "ip") - before).isEqualTo(5);
        assertThat(sampled(ip)).isEqualTo(1);
        clock.advance(Duration.ofSeconds(30));
        for (int i = 0; i < 20; i++) anonymous(ip);
        assertThat(sampled(ip)).isEqualTo(1);
        clock.advance(Duration.ofSeconds(31));
        for (int i = 0; i < 20; i++) anonymous(ip);
        assertThat(sampled(ip)).isEqualTo(2);
    }

    private double breaches(String policy, String scope) {
        var counter = meters.find("gatehouse.ratelimit.breaches")
                .tag("policy", policy)
                .tag("scope", scope)
                .counter();
        return counter == null ? 0 : counter.count();
    }

    private int sampled(String address) {
        Http.Response r = http.get(
                        "/api/v1/admin/audit-events?action=ratelimit.breached&target_type=ratelimit_subject&target_id=ip:"
                                + address)
                .bearer(accounts.admin().accessToken())
                .send();
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        JsonNode data = r.json().get("data");
        data.valueStream().forEach(e -> {
            assertThat(e.get("target_type").asString()).isEqualTo("ratelimit_subject");
            assertThat(e.get("details").get("policy").asString()).isEqualTo("anonymous");
        });
        return data.size();
    }

    @Test
    void supportClearsASubjectsLimitsAndItIsAudited() {
        for (int i = 0; i < 11; i++) anonymous(ip);
        assertProblem(anonymous(ip), 429, "rate_limited");

        TestAccounts.Account plain = accounts.create("rl-not-support");
        String path = "/api/v1/admin/ratelimits/ip:" + ip;
        assertThat(http.delete(path).bearer(plain.accessToken()).send().status())
                .isEqualTo(403);
        assertThat(http.delete(path).send().status()).isEqualTo(401);

        String admin = accounts.admin().accessToken();
        Http.Response cleared = http.delete(path).bearer(admin).send();
        assertThat(cleared.status()).as(cleared.toString()).isEqualTo(200);
        assertThat(cleared.json().get("subject").asString()).isEqualTo("ip:" + ip);
        assertThat(cleared.json().get("cleared").asLong()).isEqualTo(1);
        assertThat(anonymous(ip).header("X-RateLimit-Remaining")).isEqualTo("9");

        Http.Response audit = http.get(
                        "/api/v1/admin/audit-events?action=ratelimit.cleared&target_type=ratelimit_subject&target_id=ip:"
                                + ip)
                .bearer(admin)
                .send();
        assertThat(audit.json().get("data").size()).isEqualTo(1);
        assertThat(audit.json().get("data").get(0).get("details").get("cleared").asLong())
                .isEqualTo(1);

        // IPv6 clients are counted, and cleared, by their /64.
        Http.Response v6 = http.delete("/api/v1/admin/ratelimits/ip:2001:db8:1:2:3:4:5:6")
                .bearer(admin)
                .send();
        assertThat(v6.json().get("subject").asString()).isEqualTo("ip:2001:db8:1:2::/64");
        for (String bad : new String[] {"ip:not-an-ip", "user:42", "nobody:x", "ip:", "x".repeat(300)}) {
            assertProblem(
                    http.delete("/api/v1/admin/ratelimits/" + bad).bearer(admin).send(), 400, "invalid_subject");
        }
    }

    @Test
    void anIpv6ClientIsCountedByItsSlash64() {
        for (int i = 0; i < 10; i++)
            assertThat(anonymous("2001:db8:77::" + (i + 1)).status()).isEqualTo(401);
        assertProblem(anonymous("2001:db8:77:0:ffff::1"), 429, "rate_limited");
        assertThat(anonymous("2001:db8:78::1").status()).isEqualTo(401);
    }

    @Test
    void theCheckApiCountsTheProductsOwnKeys() {
        String service = serviceSecret();
        String key = "tenant-" + UUID.randomUUID();
        for (int i = 1; i <= 5; i++) {
            JsonNode d = check(service, key, "register", null);
            assertThat(d.get("allowed").asBoolean()).isTrue();
            assertThat(d.get("policy").asString()).isEqualTo("register");
            assertThat(d.get("limit").asLong()).isEqualTo(5);
            assertThat(d.get("remaining").asLong()).isEqualTo(5 - i);
            assertThat(d.get("reset_after").asLong()).isEqualTo(720L * i);
            assertThat(d.get("retry_after").asLong()).isZero();
        }
        JsonNode refused = check(service, key, "register", null);
        assertThat(refused.get("allowed").asBoolean()).isFalse();
        assertThat(refused.get("retry_after").asLong()).isEqualTo(720);
        // A cost, and a cost of zero that only looks.
        String other = "tenant-" + UUID.randomUUID();
        assertThat(check(service, other, "free", 15L).get("remaining").asLong()).isEqualTo(5);
        assertThat(check(service, other, "free", 0L).get("remaining").asLong()).isEqualTo(5);
        assertThat(check(service, other, "free", 6L).get("allowed").asBoolean()).isFalse();

        assertProblem(checkResponse(service, key, "no-such-policy", null), 422, "unknown_policy");
        assertProblem(checkResponse(service, key, "register", 6L), 422, "cost_exceeds_burst");
        assertProblem(checkResponse(service, "has space", "free", null), 400, "validation_failed");
        assertProblem(checkResponse(service, "{tag}", "free", null), 400, "validation_failed");
        assertProblem(checkResponse(service, key, "free", -1L), 400, "validation_failed");
        // Users may not use it; the product's backend does, with its service key.
        TestAccounts.Account user = accounts.create("rl-check-user");
        assertProblem(checkResponse(user.accessToken(), key, "free", null), 403, "forbidden");
        assertThat(http.post("/api/v1/ratelimit/check")
                        .json("key", key, "policy", "free")
                        .send()
                        .status())
                .isEqualTo(401);

        // Admins clear a check key like any subject.
        Http.Response cleared = http.delete("/api/v1/admin/ratelimits/check:" + key)
                .bearer(accounts.admin().accessToken())
                .send();
        assertThat(cleared.json().get("cleared").asLong()).isEqualTo(1);
        assertThat(check(service, key, "register", null).get("remaining").asLong())
                .isEqualTo(4);
    }

    @Test
    void keyVerificationCarriesTheKeysDecisionUnderItsPlan() {
        TestAccounts.Account owner = accounts.create("rl-keys");
        String org = http.get("/api/v1/orgs")
                .bearer(owner.accessToken())
                .send()
                .json()
                .get("data")
                .get(0)
                .get("id")
                .asString();
        Http.Response created = http.post("/api/v1/orgs/" + org + "/api-keys")
                .bearer(owner.accessToken())
                .json("name", "limited")
                .send();
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        String key = created.json().get("key").asString();
        String service = serviceSecret();
        for (int i = 1; i <= 20; i++) {
            JsonNode answer = verify(service, key);
            assertThat(answer.get("valid").asBoolean()).isTrue();
            JsonNode limit = answer.get("rate_limit");
            assertThat(limit.get("allowed").asBoolean()).isTrue();
            assertThat(limit.get("policy").asString()).isEqualTo("free");
            assertThat(limit.get("limit").asLong()).isEqualTo(20);
            assertThat(limit.get("remaining").asLong()).isEqualTo(20 - i);
            assertThat(limit.get("reset_after").asLong()).isEqualTo(i);
            assertThat(limit.has("degraded")).isFalse();
        }
        JsonNode refused = verify(service, key).get("rate_limit");
        assertThat(refused.get("allowed").asBoolean()).isFalse();
        assertThat(refused.get("retry_after").asLong()).isEqualTo(1);
        // The key stays valid: the limit is the product's to enforce.
        assertThat(verify(service, key).get("valid").asBoolean()).isTrue();

        // The organization moves to pro: its keys are counted under pro's policy within a second, on a fresh
        // allowance (300 at once).
        Http.Response upgraded = http.post("/api/v1/admin/orgs/" + org + "/subscription/override")
                .bearer(accounts.admin().accessToken())
                .json("plan", "pro", "reason", "rate-limit test")
                .send();
        assertThat(upgraded.status()).as(upgraded.toString()).isEqualTo(200);
        JsonNode pro = Poll.until(Duration.ofSeconds(2), "pro's policy on key verification", () -> {
            JsonNode limit = verify(service, key).get("rate_limit");
            return "pro".equals(limit.get("policy").asString()) ? limit : null;
        });
        assertThat(pro.get("allowed").asBoolean()).isTrue();
        assertThat(pro.get("limit").asLong()).isEqualTo(300);
        assertThat(pro.get("remaining").asLong()).isEqualTo(299);
    }

    private JsonNode verify(String service, String key) {
        Http.Response r = http.post("/api/v1/keys/verify")
                .bearer(service)
                .json("key", key)
                .send();
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        return r.json();
    }

    String serviceSecret() {
        Http.Response r = http.post("/api/v1/admin/service-keys")
                .bearer(accounts.admin().accessToken())
                .json("name", "rl backend " + UUID.randomUUID().toString().substring(0, 8))
                .send();
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
        return r.json().get("key").asString();
    }

    private Http.Response checkResponse(String bearer, String key, String policy, Long cost) {
        return http.post("/api/v1/ratelimit/check")
                .bearer(bearer)
                .json(
                        cost == null
                                ? new Object[] {"key", key, "policy", policy}
                                : new Object[] {"key", key, "policy", policy, "cost", cost})
                .send();
    }

    private JsonNode check(String service, String key, String policy, Long cost) {
        Http.Response r = checkResponse(service, key, policy, cost);
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        return r.json();
    }
}
