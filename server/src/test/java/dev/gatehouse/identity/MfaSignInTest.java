package dev.gatehouse.identity;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.identity.mfa.Totp;
import dev.gatehouse.support.EndToEndTest;
import dev.gatehouse.support.Http;
import dev.gatehouse.support.TestAccounts;
import dev.gatehouse.support.TestClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.modulith.test.AssertablePublishedEvents;
import org.springframework.modulith.test.PublishedEventsExtension;
import tools.jackson.databind.node.ObjectNode;

/** The second step of a two-factor sign-in: codes work once, recovery codes once each, mfa_tokens are bounded. */
@ExtendWith(PublishedEventsExtension.class)
class MfaSignInTest extends EndToEndTest {

    @Autowired
    TestClock clock;

    TwoFactorAccounts twoFactor;

    @BeforeEach
    void setUp() {
        twoFactor = new TwoFactorAccounts(http, new TestAccounts(http, SMTP), clock);
    }

    @AfterEach
    void resetClock() {
        clock.reset();
    }

    @Test
    void aCodeWorksOnlyOnce() {
        TwoFactorAccounts.Enrolled u = twoFactor.create("mfa-replay");
        String code = twoFactor.nextCode(u.secret());
        assertThat(twoFactor.loginMfa(twoFactor.mfaToken(u.email()), code).status())
                .isEqualTo(200);

        Http.Response replay = twoFactor.loginMfa(twoFactor.mfaToken(u.email()), code);
        assertThat(replay.status()).isEqualTo(401);
        assertThat(replay.code()).isEqualTo("invalid_mfa_code");

        // The code that confirmed the enrollment was used too.
        TwoFactorAccounts.Enrolled v = twoFactor.create("mfa-replay-confirm");
        Http.Response confirmCode = twoFactor.loginMfa(twoFactor.mfaToken(v.email()), twoFactor.code(v.secret()));
        assertThat(confirmCode.code()).isEqualTo("invalid_mfa_code");
        assertThat(twoFactor
                        .loginMfa(twoFactor.mfaToken(v.email()), twoFactor.nextCode(v.secret()))
                        .status())
                .isEqualTo(200);
    }

    @Test
    void twentyConcurrentSignInsWithOneCodeLetExactlyOneIn() throws Exception {
        TwoFactorAccounts.Enrolled u = twoFactor.create("mfa-race");
        List<String> tokens = new ArrayList<>();
        for (int i = 0; i < 20; i++) tokens.add(twoFactor.mfaToken(u.email()));
        String code = twoFactor.nextCode(u.secret());

        CountDownLatch go = new CountDownLatch(1);
        List<Future<Http.Response>> answers = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(20)) {
            for (String token : tokens) {
                answers.add(pool.submit(() -> {
                    go.await();
                    return twoFactor.loginMfa(token, code);
                }));
            }
            go.countDown();
            List<Http.Response> responses = new ArrayList<>();
            for (Future<Http.Response> f : answers) responses.add(f.get());
            assertThat(responses).filteredOn(r -> r.status() == 200).hasSize(1);
            assertThat(responses).filteredOn(r -> r.status() != 200).hasSize(19).allSatisfy(r -> {
                assertThat(r.status()).as(r.toString()).isEqualTo(401);
                assertThat(r.code()).isEqualTo("invalid_mfa_code");
            });
        }
    }

    @Test
    void twentyConcurrentStepUpsWithOneCodeLetExactlyOneThrough() throws Exception {
        TwoFactorAccounts.Enrolled u = twoFactor.create("mfa-race-stepup");
        String code = twoFactor.nextCode(u.secret());
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Http.Response>> answers = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(20)) {
            for (int i = 0; i < 20; i++) {
                answers.add(pool.submit(() -> {
                    go.await();
                    return http.post("/api/v1/me/step-up")
                            .bearer(u.accessToken())
                            .json("code", code)
                            .send();
                }));
            }
            go.countDown();
            List<Integer> statuses = new ArrayList<>();
            for (Future<Http.Response> f : answers) statuses.add(f.get().status());
            // 19 wrong proofs would end the session after five; the one success may land anywhere in
            // between, so the refusals are 422 (counted) or 401 (session already ended).
            assertThat(statuses).filteredOn(s -> s == 200).hasSize(1);
            assertThat(statuses).filteredOn(s -> s != 200).hasSize(19).allMatch(s -> s == 422 || s == 401);
        }
    }

    @Test
    void aRecoveryCodeWorksOnceAndNewCodesRetireTheOldOnes(AssertablePublishedEvents events) {
        TwoFactorAccounts.Enrolled u = twoFactor.create("mfa-recovery");
        UUID userId = twoFactor.userId(u.accessToken());
        String first = u.recoveryCodes().getFirst();
        // People type them in any case, without the dash.
        Http.Response used = twoFactor.loginRecovery(
                twoFactor.mfaToken(u.email()), first.replace("-", "").toUpperCase(Locale.ROOT));
        assertThat(used.status()).as(used.toString()).isEqualTo(200);
        assertThat(events.ofType(MfaChallengePassed.class).matching(MfaChallengePassed::userId, userId::equals))
                .extracting(MfaChallengePassed::method)
                .containsExactly(ProofMethod.RECOVERY_CODE);

        Http.Response again = twoFactor.loginRecovery(twoFactor.mfaToken(u.email()), first);
        assertThat(again.status()).isEqualTo(401);
        assertThat(again.code()).isEqualTo("invalid_mfa_code");

        String access = used.json().get("access_token").asString();
        Http.Response regenerated =
                http.post("/api/v1/me/mfa/recovery-codes").bearer(access).send();
        assertThat(regenerated.status()).as(regenerated.toString()).isEqualTo(200);
        List<String> fresh = regenerated
                .json()
                .get("recovery_codes")
                .valueStream()
                .map(n -> n.asString())
                .toList();
        assertThat(fresh).hasSize(10).doesNotContainAnyElementsOf(u.recoveryCodes());
        assertThat(events.ofType(RecoveryCodesRegenerated.class)
                        .matching(RecoveryCodesRegenerated::userId, userId::equals))
                .hasSize(1);

        Http.Response old = twoFactor.loginRecovery(
                twoFactor.mfaToken(u.email()), u.recoveryCodes().get(1));
        assertThat(old.code()).isEqualTo("invalid_mfa_code");
        assertThat(twoFactor
                        .loginRecovery(twoFactor.mfaToken(u.email()), fresh.getFirst())
                        .status())
                .isEqualTo(200);
    }

    @Test
    void anMfaTokenExpiresAfterFiveMinutes() {
        TwoFactorAccounts.Enrolled u = twoFactor.create("mfa-expiry");
        String token = twoFactor.mfaToken(u.email());
        clock.advance(Duration.ofMinutes(5).plusSeconds(1));
        Http.Response late = twoFactor.loginMfa(token, twoFactor.code(u.secret()));
        assertThat(late.status()).isEqualTo(401);
        assertThat(late.code()).isEqualTo("invalid_mfa_token");

        String fresh = twoFactor.mfaToken(u.email());
        clock.advance(Duration.ofMinutes(4).plusSeconds(50));
        assertThat(twoFactor.loginMfa(fresh, twoFactor.code(u.secret())).status())
                .isEqualTo(200);
    }

    @Test
    void anMfaTokenIsSingleUse() {
        TwoFactorAccounts.Enrolled u = twoFactor.create("mfa-single");
        String token = twoFactor.mfaToken(u.email());
        assertThat(twoFactor.loginMfa(token, twoFactor.nextCode(u.secret())).status())
                .isEqualTo(200);
        Http.Response reuse = twoFactor.loginMfa(token, twoFactor.nextCode(u.secret()));
        assertThat(reuse.status()).isEqualTo(401);
        assertThat(reuse.code()).isEqualTo("invalid_mfa_token");
    }

    @Test
    void fiveWrongCodesSpendTheMfaToken(AssertablePublishedEvents events) {
        TwoFactorAccounts.Enrolled u = twoFactor.create("mfa-attempts");
        UUID userId = twoFactor.userId(u.accessToken());
        String token = twoFactor.mfaToken(u.email());
        String right = twoFactor.nextCode(u.secret());
        String wrong = wrongCode(u.secret(), clock.instant());
        for (int i = 1; i <= 5; i++) {
            Http.Response r =
                    i % 2 == 0 ? twoFactor.loginRecovery(token, "aaaaa-aaaaa") : twoFactor.loginMfa(token, wrong);
            assertThat(r.status()).as(r.toString()).isEqualTo(401);
            assertThat(r.code()).isEqualTo("invalid_mfa_code");
        }
        Http.Response burnt = twoFactor.loginMfa(token, right);
        assertThat(burnt.status()).isEqualTo(401);
        assertThat(burnt.code()).isEqualTo("invalid_mfa_token");

        Iterable<MfaChallengeFailed> failures =
                events.ofType(MfaChallengeFailed.class).matching(MfaChallengeFailed::userId, userId::equals);
        assertThat(failures).extracting(MfaChallengeFailed::failedAttempts).containsExactly(1, 2, 3, 4, 5);
        assertThat(failures)
                .extracting(MfaChallengeFailed::challengeSpent)
                .containsExactly(false, false, false, false, true);
        assertThat(failures)
                .extracting(MfaChallengeFailed::method)
                .containsExactly(
                        ProofMethod.TOTP,
                        ProofMethod.RECOVERY_CODE,
                        ProofMethod.TOTP,
                        ProofMethod.RECOVERY_CODE,
                        ProofMethod.TOTP);

        // The code that was never accepted still works with a new token.
        assertThat(twoFactor.loginMfa(twoFactor.mfaToken(u.email()), right).status())
                .isEqualTo(200);
    }

    @Test
    void aPasswordChangeVoidsOutstandingMfaTokens() {
        TwoFactorAccounts.Enrolled u = twoFactor.create("mfa-pwchange");
        String token = twoFactor.mfaToken(u.email());
        String newPassword = "Brand new violet harbor 88 kites";
        Http.Response changed = http.post("/api/v1/me/password")
                .bearer(u.accessToken())
                .json("current_password", TestAccounts.PASSWORD, "new_password", newPassword)
                .send();
        assertThat(changed.status()).as(changed.toString()).isEqualTo(204);
        Http.Response r = twoFactor.loginMfa(token, twoFactor.nextCode(u.secret()));
        assertThat(r.status()).isEqualTo(401);
        assertThat(r.code()).isEqualTo("invalid_mfa_token");
    }

    @Test
    void twoFactorRevealsNothingBeforeThePasswordIsProven() {
        TwoFactorAccounts.Enrolled u = twoFactor.create("mfa-enum");
        Http.Response wrongPassword = http.post("/api/v1/auth/login")
                .json("email", u.email(), "password", "Not the password at all 99")
                .send();
        Http.Response unknown = http.post("/api/v1/auth/login")
                .json("email", TestAccounts.uniqueEmail("nobody"), "password", "Not the password at all 99")
                .send();
        assertThat(wrongPassword.status()).isEqualTo(401);
        assertThat(unknown.status()).isEqualTo(401);
        assertThat(wrongPassword.code()).isEqualTo("invalid_credentials");
        assertThat(withoutRequestId(wrongPassword)).isEqualTo(withoutRequestId(unknown));
        assertThat(wrongPassword.json().has("mfa_token")).isFalse();
        assertThat(wrongPassword.header("Content-Type")).isEqualTo(unknown.header("Content-Type"));

        Http.Response right = twoFactor.login(u.email());
        assertThat(right.code()).isEqualTo("mfa_required");
    }

    @Test
    void garbageMfaTokensAreRefused() {
        TwoFactorAccounts.Enrolled u = twoFactor.create("mfa-garbage");
        for (String token : new String[] {"ghm_nope", "not-even-prefixed", "ghr_" + "x".repeat(43)}) {
            Http.Response r = twoFactor.loginMfa(token, twoFactor.code(u.secret()));
            assertThat(r.status()).as(r.toString()).isEqualTo(401);
            assertThat(r.code()).isEqualTo("invalid_mfa_token");
        }
    }

    private static String wrongCode(byte[] secret, java.time.Instant at) {
        // Not the code of any step near now, so it cannot be right by accident.
        for (int candidate = 0; ; candidate++) {
            String c = String.format("%06d", candidate);
            boolean near = false;
            long now = Totp.step(at);
            for (long s = now - 40; s <= now + 40; s++) {
                if (Totp.code(secret, s, Totp.Algorithm.SHA1, 6).equals(c)) near = true;
            }
            if (!near) return c;
        }
    }

    private static String withoutRequestId(Http.Response r) {
        ObjectNode body = (ObjectNode) r.json();
        body.remove("request_id");
        return body.toString();
    }
}
