package dev.gatehouse.identity;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.support.EndToEndTest;
import dev.gatehouse.support.Http;
import dev.gatehouse.support.TestAccounts;
import dev.gatehouse.support.TestClock;
import jakarta.mail.internet.MimeMessage;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** Registration rules, enumeration-safe answers, password reset and change, sessions, profile. */
class AccountLifecycleTest extends EndToEndTest {

    @Autowired
    TestClock clock;

    TestAccounts accounts;

    @BeforeEach
    void setUp() {
        accounts = new TestAccounts(http, SMTP);
    }

    @AfterEach
    void resetClock() {
        clock.reset();
    }

    private Http.Response register(String email, String password) {
        return http.post("/api/v1/auth/register")
                .json("email", email, "password", password, "name", "Bob")
                .send();
    }

    private static String subjects(MimeMessage[] messages) {
        return String.join(
                " | ",
                Arrays.stream(messages)
                        .map(m -> {
                            try {
                                return m.getSubject();
                            } catch (jakarta.mail.MessagingException e) {
                                return "?";
                            }
                        })
                        .toList());
    }

    @Test
    void registeringATakenEmailAnswersLikeANewOneAndTellsTheOwner() {
        String email = TestAccounts.uniqueEmail("taken");
        Http.Response first = register(email, TestAccounts.PASSWORD);
        accounts.awaitToken(email, "verify-email");
        Http.Response second = register(email.toUpperCase(), "Another fine passphrase 99");
        assertThat(second.status()).isEqualTo(first.status()).isEqualTo(201);
        assertThat(second.body()).isEqualTo(first.body());
        awaitMailCount(email, 2);
        assertThat(accounts.mailTo(email)).hasSize(2);
    }

    private void awaitMailCount(String email, int count) {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (accounts.mailTo(email).length < count && System.nanoTime() < deadline) {
            SMTP.waitForIncomingEmail(200, SMTP.getReceivedMessages().length + 1);
        }
        assertThat(accounts.mailTo(email)).as(subjects(accounts.mailTo(email))).hasSizeGreaterThanOrEqualTo(count);
    }

    @Test
    void passwordPolicyAndEmailRulesAreEnforced() {
        assertThat(register(TestAccounts.uniqueEmail("short"), "Ab1!short").code())
                .isEqualTo("password_too_short");
        assertThat(register(TestAccounts.uniqueEmail("weak"), "aaaaaaaaaaaa").code())
                .isIn("password_too_weak", "password_breached");
        assertThat(register(TestAccounts.uniqueEmail("breached"), "1qaz2wsx3edc")
                        .code())
                .isEqualTo("password_breached");
        assertThat(register(TestAccounts.uniqueEmail("weak2"), "bobbobbob123").code())
                .isEqualTo("password_too_weak");
        Http.Response disposable = register("someone@mailinator.com", TestAccounts.PASSWORD);
        assertThat(disposable.status()).isEqualTo(422);
        assertThat(disposable.code()).isEqualTo("disposable_email");
        assertThat(register("not-an-email", TestAccounts.PASSWORD).code()).isEqualTo("invalid_email");
    }

    @Test
    void resendAndForgotRevealNothingAboutAccounts() {
        TestAccounts.Account known = accounts.create("known");
        String unknown = TestAccounts.uniqueEmail("nobody");
        for (String path : new String[] {"/api/v1/auth/verify-email/resend", "/api/v1/auth/password/forgot"}) {
            Http.Response a = http.post(path).json("email", known.email()).send();
            Http.Response b = http.post(path).json("email", unknown).send();
            assertThat(a.status()).isEqualTo(b.status()).isEqualTo(202);
            assertThat(a.body()).isEqualTo(b.body());
        }
        Http.Response wrongPassword = http.post("/api/v1/auth/login")
                .json("email", known.email(), "password", "Wrong but long enough 1")
                .send();
        Http.Response unknownUser = http.post("/api/v1/auth/login")
                .json("email", unknown, "password", "Wrong but long enough 1")
                .send();
        assertThat(wrongPassword.status()).isEqualTo(unknownUser.status()).isEqualTo(401);
        assertThat(wrongPassword.code()).isEqualTo(unknownUser.code()).isEqualTo("invalid_credentials");
        assertThat(wrongPassword.json().get("detail"))
                .isEqualTo(unknownUser.json().get("detail"));
    }

    @Test
    void resendSendsAFreshVerificationLinkThatWorks() {
        String email = TestAccounts.uniqueEmail("resend");
        accounts.register(email);
        String first = accounts.awaitToken(email, "verify-email");
        assertThat(http.post("/api/v1/auth/verify-email/resend")
                        .json("email", email)
                        .send()
                        .status())
                .isEqualTo(202);
        awaitMailCount(email, 2);
        String second = accounts.awaitToken(email, "verify-email");
        assertThat(second).isNotEqualTo(first);
        // Only the newest link is valid.
        assertThat(http.post("/api/v1/auth/verify-email")
                        .json("token", first)
                        .send()
                        .code())
                .isEqualTo("invalid_token");
        assertThat(http.post("/api/v1/auth/verify-email")
                        .json("token", second)
                        .send()
                        .status())
                .isEqualTo(200);
    }

    @Test
    void verificationLinkExpiresAfter24Hours() {
        String email = TestAccounts.uniqueEmail("late");
        accounts.register(email);
        String token = accounts.awaitToken(email, "verify-email");
        clock.advance(Duration.ofHours(24).plusMinutes(1));
        assertThat(http.post("/api/v1/auth/verify-email")
                        .json("token", token)
                        .send()
                        .code())
                .isEqualTo("invalid_token");
    }

    @Test
    void passwordResetIsSingleUseAndEndsEverySession() {
        TestAccounts.Account a = accounts.create("reset");
        TestAccounts.Account otherDevice = accounts.login(a.email(), TestAccounts.PASSWORD);
        assertThat(http.post("/api/v1/auth/password/forgot")
                        .json("email", a.email())
                        .send()
                        .status())
                .isEqualTo(202);
        String token = accounts.awaitToken(a.email(), "reset-password");

        Http.Response weak = http.post("/api/v1/auth/password/reset")
                .json("token", token, "new_password", "password123")
                .send();
        assertThat(weak.status()).isEqualTo(422);

        String newPassword = "Brand new violet harbor 88";
        Http.Response reset = http.post("/api/v1/auth/password/reset")
                .json("token", token, "new_password", newPassword)
                .send();
        assertThat(reset.status()).as(reset.toString()).isEqualTo(204);
        Http.Response replay = http.post("/api/v1/auth/password/reset")
                .json("token", token, "new_password", "Yet another violet harbor 89")
                .send();
        assertThat(replay.code()).isEqualTo("invalid_token");

        assertThat(http.post("/api/v1/auth/token/refresh")
                        .json("refresh_token", a.refreshToken())
                        .send()
                        .status())
                .isEqualTo(401);
        assertThat(http.post("/api/v1/auth/token/refresh")
                        .json("refresh_token", otherDevice.refreshToken())
                        .send()
                        .status())
                .isEqualTo(401);
        assertThat(http.get("/api/v1/me").bearer(a.accessToken()).send().code()).isEqualTo("session_revoked");
        assertThat(http.post("/api/v1/auth/login")
                        .json("email", a.email(), "password", TestAccounts.PASSWORD)
                        .send()
                        .status())
                .isEqualTo(401);
        accounts.login(a.email(), newPassword);
    }

    @Test
    void passwordResetLinkExpiresAfter30Minutes() {
        TestAccounts.Account a = accounts.create("reset-late");
        http.post("/api/v1/auth/password/forgot").json("email", a.email()).send();
        String token = accounts.awaitToken(a.email(), "reset-password");
        clock.advance(Duration.ofMinutes(31));
        Http.Response r = http.post("/api/v1/auth/password/reset")
                .json("token", token, "new_password", "Brand new violet harbor 88")
                .send();
        assertThat(r.code()).isEqualTo("invalid_token");
    }

    @Test
    void changingThePasswordKeepsThisSessionAndEndsTheOthers() {
        TestAccounts.Account a = accounts.create("change");
        TestAccounts.Account other = accounts.login(a.email(), TestAccounts.PASSWORD);
        Http.Response wrong = http.post("/api/v1/me/password")
                .bearer(a.accessToken())
                .json("current_password", "not my password at all", "new_password", "Fresh copper lanterns 77")
                .send();
        assertThat(wrong.status()).isEqualTo(422);
        assertThat(wrong.code()).isEqualTo("invalid_current_password");

        Http.Response ok = http.post("/api/v1/me/password")
                .bearer(a.accessToken())
                .json("current_password", TestAccounts.PASSWORD, "new_password", "Fresh copper lanterns 77")
                .send();
        assertThat(ok.status()).as(ok.toString()).isEqualTo(204);
        assertThat(http.get("/api/v1/me").bearer(a.accessToken()).send().status())
                .isEqualTo(200);
        assertThat(http.get("/api/v1/me").bearer(other.accessToken()).send().code())
                .isEqualTo("session_revoked");
        accounts.login(a.email(), "Fresh copper lanterns 77");
    }

    @Test
    void sessionsCanBeListedAndRevoked() {
        TestAccounts.Account a = accounts.create("sessions");
        TestAccounts.Account b = accounts.login(a.email(), TestAccounts.PASSWORD);
        TestAccounts.Account c = accounts.login(a.email(), TestAccounts.PASSWORD);
        Http.Response list =
                http.get("/api/v1/me/sessions").bearer(a.accessToken()).send();
        assertThat(list.json().get("data")).hasSize(3);

        String bSession = http.get("/api/v1/me")
                .bearer(b.accessToken())
                .send()
                .json()
                .get("session_id")
                .asString();
        assertThat(http.delete("/api/v1/me/sessions/" + bSession)
                        .bearer(a.accessToken())
                        .send()
                        .status())
                .isEqualTo(204);
        assertThat(http.get("/api/v1/me").bearer(b.accessToken()).send().code()).isEqualTo("session_revoked");

        TestAccounts.Account stranger = accounts.create("stranger");
        String cSession = http.get("/api/v1/me")
                .bearer(c.accessToken())
                .send()
                .json()
                .get("session_id")
                .asString();
        assertThat(http.delete("/api/v1/me/sessions/" + cSession)
                        .bearer(stranger.accessToken())
                        .send()
                        .status())
                .isEqualTo(404);
        assertThat(http.delete("/api/v1/me/sessions/not-a-uuid")
                        .bearer(a.accessToken())
                        .send()
                        .status())
                .isEqualTo(400);

        Http.Response others =
                http.delete("/api/v1/me/sessions").bearer(a.accessToken()).send();
        assertThat(others.json().get("revoked").asInt()).isEqualTo(1);
        assertThat(http.get("/api/v1/me").bearer(c.accessToken()).send().code()).isEqualTo("session_revoked");
        assertThat(http.get("/api/v1/me").bearer(a.accessToken()).send().status())
                .isEqualTo(200);
    }

    @Test
    void profileCanBeUpdated() {
        TestAccounts.Account a = accounts.create("profile");
        Http.Response r = http.patch("/api/v1/me")
                .bearer(a.accessToken())
                .json("name", "Robert", "locale", "es-MX")
                .send();
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertThat(r.json().get("name").asString()).isEqualTo("Robert");
        assertThat(r.json().get("locale").asString()).isEqualTo("es");
        assertThat(http.patch("/api/v1/me")
                        .bearer(a.accessToken())
                        .json("name", " ")
                        .send()
                        .code())
                .isEqualTo("validation_failed");
        assertThat(http.patch("/api/v1/me")
                        .bearer(a.accessToken())
                        .json("name", 5)
                        .send()
                        .status())
                .isEqualTo(400);
        // An email in the patch does not change the address: it starts the link flow (EmailChangeTest).
        Http.Response email = http.patch("/api/v1/me")
                .bearer(a.accessToken())
                .json("email", TestAccounts.uniqueEmail("elsewhere"))
                .send();
        assertThat(email.status()).as(email.toString()).isEqualTo(200);
        assertThat(email.json().get("email").asString()).isEqualTo(a.email());
    }
}
