package dev.gatehouse.identity;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.support.EndToEndTest;
import dev.gatehouse.support.Http;
import dev.gatehouse.support.TestAccounts;
import dev.gatehouse.support.TestClock;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.modulith.test.AssertablePublishedEvents;
import org.springframework.modulith.test.PublishedEventsExtension;

/** Sensitive actions need a recent proof: sign-in counts for 10 minutes, a step-up renews it. */
@ExtendWith(PublishedEventsExtension.class)
class StepUpTest extends EndToEndTest {

    @Autowired
    TestClock clock;

    TestAccounts accounts;
    TwoFactorAccounts twoFactor;

    @BeforeEach
    void setUp() {
        accounts = new TestAccounts(http, SMTP);
        twoFactor = new TwoFactorAccounts(http, accounts, clock);
    }

    @AfterEach
    void resetClock() {
        clock.reset();
    }

    private record Tokens(String access, String refresh) {}

    /** Moves the clock on; the 10-minute access token may have expired, so refresh it (that proves nothing). */
    private Tokens later(String refreshToken, Duration by) {
        clock.advance(by);
        Http.Response refreshed = http.post("/api/v1/auth/token/refresh")
                .json("refresh_token", refreshToken)
                .send();
        assertThat(refreshed.status()).as(refreshed.toString()).isEqualTo(200);
        return new Tokens(
                refreshed.json().get("access_token").asString(),
                refreshed.json().get("refresh_token").asString());
    }

    private String laterAccessToken(String refreshToken, Duration by) {
        return later(refreshToken, by).access();
    }

    private static void assertStepUpRequired(Http.Response r) {
        assertThat(r.status()).as(r.toString()).isEqualTo(403);
        assertThat(r.code()).isEqualTo("step_up_required");
        assertThat(r.json().get("max_age_seconds").asInt()).isEqualTo(600);
    }

    @Test
    void disablingTwoFactorNeedsARecentProof(AssertablePublishedEvents events) {
        TwoFactorAccounts.Enrolled u = twoFactor.create("stepup-disable");
        UUID userId = twoFactor.userId(u.accessToken());
        String access = laterAccessToken(u.refreshToken(), Duration.ofMinutes(11));

        assertStepUpRequired(http.delete("/api/v1/me/mfa/totp").bearer(access).send());
        assertStepUpRequired(
                http.post("/api/v1/me/mfa/recovery-codes").bearer(access).send());
        assertStepUpRequired(http.post("/api/v1/me/mfa/totp").bearer(access).send());
        assertStepUpRequired(http.post("/api/v1/me/mfa/totp/confirm")
                .bearer(access)
                .json("code", "123456")
                .send());
        assertThat(http.get("/api/v1/me")
                        .bearer(access)
                        .send()
                        .json()
                        .get("mfa_enabled")
                        .asBoolean())
                .isTrue();

        Http.Response stepUp = http.post("/api/v1/me/step-up")
                .bearer(access)
                .json("code", twoFactor.nextCode(u.secret()))
                .send();
        assertThat(stepUp.status()).as(stepUp.toString()).isEqualTo(200);
        Instant at = Instant.parse(stepUp.json().get("authenticated_at").asString());
        assertThat(Instant.parse(stepUp.json().get("expires_at").asString()))
                .isEqualTo(at.plus(Duration.ofMinutes(10)));

        Http.Response disabled =
                http.delete("/api/v1/me/mfa/totp").bearer(access).send();
        assertThat(disabled.status()).as(disabled.toString()).isEqualTo(204);
        assertThat(http.get("/api/v1/me")
                        .bearer(access)
                        .send()
                        .json()
                        .get("mfa_enabled")
                        .asBoolean())
                .isFalse();
        assertThat(twoFactor.login(u.email()).status()).isEqualTo(200);

        Http.Response again = http.delete("/api/v1/me/mfa/totp").bearer(access).send();
        assertThat(again.status()).isEqualTo(409);
        assertThat(again.code()).isEqualTo("mfa_not_enabled");

        assertThat(events.ofType(StepUpPassed.class).matching(StepUpPassed::userId, userId::equals))
                .singleElement()
                .satisfies(e -> assertThat(e.method()).isEqualTo(ProofMethod.TOTP));
        assertThat(events.ofType(MfaDisabled.class).matching(MfaDisabled::userId, userId::equals))
                .hasSize(1);
    }

    @Test
    void aStepUpLastsTenMinutes() {
        TwoFactorAccounts.Enrolled u = twoFactor.create("stepup-expiry");
        Tokens tokens = later(u.refreshToken(), Duration.ofMinutes(11));
        String access = tokens.access();
        assertThat(http.post("/api/v1/me/step-up")
                        .bearer(access)
                        .json("code", twoFactor.nextCode(u.secret()))
                        .send()
                        .status())
                .isEqualTo(200);

        clock.advance(Duration.ofMinutes(9));
        Http.Response within =
                http.post("/api/v1/me/mfa/recovery-codes").bearer(access).send();
        assertThat(within.status()).as(within.toString()).isEqualTo(200);

        String later = laterAccessToken(tokens.refresh(), Duration.ofMinutes(1).plusSeconds(1));
        assertStepUpRequired(
                http.post("/api/v1/me/mfa/recovery-codes").bearer(later).send());
    }

    @Test
    void withoutTwoFactorThePasswordIsTheProof(AssertablePublishedEvents events) {
        TestAccounts.Account a = accounts.create("stepup-password");
        UUID userId = twoFactor.userId(a.accessToken());
        String access = laterAccessToken(a.refreshToken(), Duration.ofMinutes(11));
        // Enrolling needs a recent proof too: a stolen token must not lock the owner out with the thief's app.
        assertStepUpRequired(http.post("/api/v1/me/mfa/totp").bearer(access).send());

        Http.Response wrong = http.post("/api/v1/me/step-up")
                .bearer(access)
                .json("password", "Not the password at all 99")
                .send();
        assertThat(wrong.status()).isEqualTo(422);
        assertThat(wrong.code()).isEqualTo("invalid_current_password");

        Http.Response code = http.post("/api/v1/me/step-up")
                .bearer(access)
                .json("code", "123456")
                .send();
        assertThat(code.status()).isEqualTo(409);
        assertThat(code.code()).isEqualTo("mfa_not_enabled");

        Http.Response right = http.post("/api/v1/me/step-up")
                .bearer(access)
                .json("password", TestAccounts.PASSWORD)
                .send();
        assertThat(right.status()).as(right.toString()).isEqualTo(200);
        assertThat(http.post("/api/v1/me/mfa/totp").bearer(access).send().status())
                .isEqualTo(200);

        assertThat(events.ofType(StepUpFailed.class).matching(StepUpFailed::userId, userId::equals))
                .singleElement()
                .satisfies(e -> {
                    assertThat(e.method()).isEqualTo(ProofMethod.PASSWORD);
                    assertThat(e.sessionRevoked()).isFalse();
                });
        assertThat(events.ofType(StepUpPassed.class).matching(StepUpPassed::userId, userId::equals))
                .singleElement()
                .satisfies(e -> assertThat(e.method()).isEqualTo(ProofMethod.PASSWORD));
    }

    @Test
    void withTwoFactorThePasswordIsNotEnoughButARecoveryCodeIs() {
        TwoFactorAccounts.Enrolled u = twoFactor.create("stepup-2fa");
        String access = laterAccessToken(u.refreshToken(), Duration.ofMinutes(11));
        Http.Response password = http.post("/api/v1/me/step-up")
                .bearer(access)
                .json("password", TestAccounts.PASSWORD)
                .send();
        assertThat(password.status()).isEqualTo(422);
        assertThat(password.code()).isEqualTo("mfa_code_required");

        Http.Response recovery = http.post("/api/v1/me/step-up")
                .bearer(access)
                .json("recovery_code", u.recoveryCodes().getFirst())
                .send();
        assertThat(recovery.status()).as(recovery.toString()).isEqualTo(200);
        assertThat(http.delete("/api/v1/me/mfa/totp").bearer(access).send().status())
                .isEqualTo(204);
    }

    @Test
    void fiveWrongProofsInARowEndTheSession(AssertablePublishedEvents events) {
        TwoFactorAccounts.Enrolled u = twoFactor.create("stepup-guess");
        UUID userId = twoFactor.userId(u.accessToken());
        String right = twoFactor.code(u.secret());
        String wrong = right.equals("000000") ? "999999" : "000000";
        // One wrong, then a right one: the count starts over.
        assertThat(http.post("/api/v1/me/step-up")
                        .bearer(u.accessToken())
                        .json("code", wrong)
                        .send()
                        .status())
                .isEqualTo(422);
        assertThat(http.post("/api/v1/me/step-up")
                        .bearer(u.accessToken())
                        .json("code", twoFactor.nextCode(u.secret()))
                        .send()
                        .status())
                .isEqualTo(200);
        for (int i = 1; i <= 4; i++) {
            Http.Response r = http.post("/api/v1/me/step-up")
                    .bearer(u.accessToken())
                    .json("code", wrong)
                    .send();
            assertThat(r.status()).as(r.toString()).isEqualTo(422);
            assertThat(r.code()).isEqualTo("invalid_mfa_code");
        }
        Http.Response fifth = http.post("/api/v1/me/step-up")
                .bearer(u.accessToken())
                .json("recovery_code", "zzzzz-zzzzz")
                .send();
        assertThat(fifth.status()).isEqualTo(401);
        assertThat(fifth.code()).isEqualTo("session_revoked");
        assertThat(http.get("/api/v1/me").bearer(u.accessToken()).send().code()).isEqualTo("session_revoked");
        assertThat(http.post("/api/v1/auth/token/refresh")
                        .json("refresh_token", u.refreshToken())
                        .send()
                        .code())
                .isEqualTo("invalid_refresh_token");
        assertThat(events.ofType(StepUpFailed.class).matching(StepUpFailed::userId, userId::equals))
                .extracting(StepUpFailed::failures)
                .containsExactly(1, 1, 2, 3, 4, 5);
    }

    @Test
    void aStepUpIsPerSession() {
        TwoFactorAccounts.Enrolled u = twoFactor.create("stepup-session");
        String other =
                twoFactor.signIn(u.email(), u.secret()).get("refresh_token").asString();
        String access = laterAccessToken(u.refreshToken(), Duration.ofMinutes(11));
        assertThat(http.post("/api/v1/me/step-up")
                        .bearer(access)
                        .json("code", twoFactor.nextCode(u.secret()))
                        .send()
                        .status())
                .isEqualTo(200);
        Http.Response refreshed = http.post("/api/v1/auth/token/refresh")
                .json("refresh_token", other)
                .send();
        String otherAccess = refreshed.json().get("access_token").asString();
        assertStepUpRequired(
                http.delete("/api/v1/me/mfa/totp").bearer(otherAccess).send());
        assertThat(http.delete("/api/v1/me/mfa/totp").bearer(access).send().status())
                .isEqualTo(204);
    }
}
