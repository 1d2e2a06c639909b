package dev.gatehouse.identity;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.support.EndToEndTest;
import dev.gatehouse.support.Http;
import dev.gatehouse.support.TestAccounts;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Sign-in, password reset and verification resend answer a known and an unknown email identically:
 * same status, same body (but the request id), and about the same time, so neither the answer nor its
 * timing tells whether an account exists. The timing bound is loose on purpose (medians within 2x on a
 * shared machine); what it catches is a path that skips the work, e.g. a login that answers an unknown
 * email without an Argon2 computation (about 40x faster).
 */
class AccountEnumerationTest extends EndToEndTest {

    /** Sign-in attempts stay below the 10-failure account lockout. */
    private static final int LOGIN_SAMPLES = 9;

    /**
     * Routes without a lockout take more samples: a few sub-millisecond requests on a busy machine can put one
     * side's median past the bound by noise alone.
     */
    private static final int SAMPLES = 31;

    record Sample(Http.Response response, long nanos) {}

    private Sample timed(Http.Request request) {
        long start = System.nanoTime();
        Http.Response r = request.send();
        return new Sample(r, System.nanoTime() - start);
    }

    private static String withoutRequestId(Http.Response r) {
        return r.body().replaceAll("\"request_id\":\"[^\"]*\"", "");
    }

    private void assertIndistinguishable(String known, String unknown, Function<String, Http.Request> request) {
        assertIndistinguishable(known, unknown, SAMPLES, request);
    }

    private void assertIndistinguishable(
            String known, String unknown, int samples, Function<String, Http.Request> request) {
        List<Long> knownTimes = new ArrayList<>();
        List<Long> unknownTimes = new ArrayList<>();
        // A warm-up pair, then alternate so that machine noise hits both sides alike.
        request.apply(known).send();
        request.apply(unknown).send();
        for (int i = 0; i < samples; i++) {
            Sample k = timed(request.apply(known));
            Sample u = timed(request.apply(unknown));
            assertThat(u.response().status()).isEqualTo(k.response().status());
            assertThat(withoutRequestId(u.response())).isEqualTo(withoutRequestId(k.response()));
            assertThat(u.response().header("Content-Type"))
                    .isEqualTo(k.response().header("Content-Type"));
            knownTimes.add(k.nanos());
            unknownTimes.add(u.nanos());
        }
        double ratio = (double) median(unknownTimes) / median(knownTimes);
        assertThat(ratio).as("median time unknown / known").isBetween(0.5, 2.0);
    }

    private static long median(List<Long> values) {
        List<Long> sorted = values.stream().sorted().toList();
        return sorted.get(sorted.size() / 2);
    }

    @Test
    void loginWithWrongPassword() {
        TestAccounts accounts = new TestAccounts(http, SMTP);
        String known = accounts.create("enum-login").email();
        String unknown = TestAccounts.uniqueEmail("enum-nobody");
        assertIndistinguishable(
                known,
                unknown,
                LOGIN_SAMPLES,
                email -> http.post("/api/v1/auth/login")
                        .json("email", email, "password", "Certainly not the password 1"));
    }

    @Test
    void passwordResetRequest() {
        TestAccounts accounts = new TestAccounts(http, SMTP);
        String known = accounts.create("enum-reset").email();
        String unknown = TestAccounts.uniqueEmail("enum-nobody");
        assertIndistinguishable(
                known,
                unknown,
                email -> http.post("/api/v1/auth/password/forgot").json("email", email));
    }

    @Test
    void verificationResend() {
        TestAccounts accounts = new TestAccounts(http, SMTP);
        String known = TestAccounts.uniqueEmail("enum-resend");
        accounts.register(known);
        String unknown = TestAccounts.uniqueEmail("enum-nobody");
        assertIndistinguishable(
                known,
                unknown,
                email -> http.post("/api/v1/auth/verify-email/resend").json("email", email));
    }
}
