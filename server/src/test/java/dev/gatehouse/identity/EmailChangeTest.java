package dev.gatehouse.identity;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.util.GreenMailUtil;
import dev.gatehouse.support.EndToEndTest;
import dev.gatehouse.support.Http;
import dev.gatehouse.support.TestAccounts;
import dev.gatehouse.support.TestClock;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.modulith.test.AssertablePublishedEvents;
import org.springframework.modulith.test.PublishedEventsExtension;

/** Email change: needs a step-up, applies only through the link sent to the new address, tells the old one. */
@ExtendWith(PublishedEventsExtension.class)
class EmailChangeTest extends EndToEndTest {

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

    private Http.Response patch(String access, Object... fields) {
        return http.patch("/api/v1/me").bearer(access).json(fields).send();
    }

    @Test
    void theChangeNeedsAStepUpAndAppliesOnlyWhenTheLinkIsUsed(AssertablePublishedEvents events) {
        TestAccounts.Account a = accounts.create("email-old");
        String newEmail = TestAccounts.uniqueEmail("email-new");
        clock.advance(Duration.ofMinutes(11));
        String access = http.post("/api/v1/auth/token/refresh")
                .json("refresh_token", a.refreshToken())
                .send()
                .json()
                .get("access_token")
                .asString();

        Http.Response refused = patch(access, "email", newEmail, "name", "Renamed");
        assertThat(refused.status()).as(refused.toString()).isEqualTo(403);
        assertThat(refused.code()).isEqualTo("step_up_required");
        assertThat(http.get("/api/v1/me")
                        .bearer(access)
                        .send()
                        .json()
                        .get("name")
                        .asString())
                .isEqualTo("Test User");

        assertThat(http.post("/api/v1/me/step-up")
                        .bearer(access)
                        .json("password", TestAccounts.PASSWORD)
                        .send()
                        .status())
                .isEqualTo(200);
        Http.Response started = patch(access, "email", newEmail.toUpperCase(), "name", "Renamed");
        assertThat(started.status()).as(started.toString()).isEqualTo(200);
        assertThat(started.json().get("email").asString()).isEqualTo(a.email());
        assertThat(started.json().get("name").asString()).isEqualTo("Renamed");

        String token = accounts.awaitToken(newEmail, "verify-email");
        // Nothing changed yet.
        assertThat(login(newEmail).code()).isEqualTo("invalid_credentials");
        assertThat(login(a.email()).status()).isEqualTo(200);

        Http.Response used =
                http.post("/api/v1/auth/verify-email").json("token", token).send();
        assertThat(used.status()).as(used.toString()).isEqualTo(200);
        Http.Response me = http.get("/api/v1/me").bearer(access).send();
        assertThat(me.json().get("email").asString()).isEqualTo(newEmail);
        assertThat(me.json().get("email_verified").asBoolean()).isTrue();
        assertThat(login(newEmail).status()).isEqualTo(200);
        assertThat(login(a.email()).code()).isEqualTo("invalid_credentials");

        assertThat(awaitSubject(a.email(), "Your email address was changed")).contains(newEmail);
        assertThat(http.post("/api/v1/auth/verify-email")
                        .json("token", token)
                        .send()
                        .code())
                .isEqualTo("invalid_token");

        UUID userId = UUID.fromString(me.json().get("id").asString());
        assertThat(events.ofType(EmailChanged.class).matching(EmailChanged::userId, userId::equals))
                .singleElement()
                .satisfies(e -> {
                    assertThat(e.oldEmail()).isEqualTo(a.email());
                    assertThat(e.newEmail()).isEqualTo(newEmail);
                });
    }

    @Test
    void aTakenAddressAnswersAlikeAndItsOwnerIsTold() {
        TestAccounts.Account a = accounts.create("email-taker");
        TestAccounts.Account b = accounts.create("email-owner");
        String free = TestAccounts.uniqueEmail("email-free");

        Http.Response taken = patch(a.accessToken(), "email", b.email());
        Http.Response untaken = patch(a.accessToken(), "email", free);
        assertThat(taken.status()).isEqualTo(200);
        assertThat(untaken.status()).isEqualTo(200);
        assertThat(taken.body()).isEqualTo(untaken.body());

        String notice = awaitSubject(b.email(), "Someone tried to use your email address");
        assertThat(notice).doesNotContain("token=");
        accounts.awaitToken(free, "verify-email");
        // b got the notice only, never a link that would move a's account onto b's address.
        assertThat(Arrays.stream(accounts.mailTo(b.email())).map(EmailChangeTest::subject))
                .doesNotContain("Confirm your new email address");
        assertThat(http.get("/api/v1/me")
                        .bearer(a.accessToken())
                        .send()
                        .json()
                        .get("email")
                        .asString())
                .isEqualTo(a.email());
    }

    @Test
    void linksSentToTheOldAddressStopWorking() {
        TestAccounts.Account a = accounts.create("email-reset");
        assertThat(http.post("/api/v1/auth/password/forgot")
                        .json("email", a.email())
                        .send()
                        .status())
                .isEqualTo(202);
        String reset = accounts.awaitToken(a.email(), "reset-password");
        String newEmail = TestAccounts.uniqueEmail("email-reset-new");
        assertThat(patch(a.accessToken(), "email", newEmail).status()).isEqualTo(200);
        String change = accounts.awaitToken(newEmail, "verify-email");

        // A second request replaces the first link.
        String newer = TestAccounts.uniqueEmail("email-reset-newer");
        assertThat(patch(a.accessToken(), "email", newer).status()).isEqualTo(200);
        assertThat(http.post("/api/v1/auth/verify-email")
                        .json("token", change)
                        .send()
                        .code())
                .isEqualTo("invalid_token");
        String latest = accounts.awaitToken(newer, "verify-email");
        assertThat(http.post("/api/v1/auth/verify-email")
                        .json("token", latest)
                        .send()
                        .status())
                .isEqualTo(200);

        Http.Response stale = http.post("/api/v1/auth/password/reset")
                .json("token", reset, "new_password", "Brand new violet harbor 88 kites")
                .send();
        assertThat(stale.status()).isEqualTo(400);
        assertThat(stale.code()).isEqualTo("invalid_token");
    }

    @Test
    void badAddressesAreRefusedBeforeAnythingChanges() {
        TestAccounts.Account a = accounts.create("email-bad");
        Http.Response invalid = patch(a.accessToken(), "email", "not-an-address", "name", "Changed");
        assertThat(invalid.status()).isEqualTo(422);
        assertThat(invalid.code()).isEqualTo("invalid_email");
        assertThat(http.get("/api/v1/me")
                        .bearer(a.accessToken())
                        .send()
                        .json()
                        .get("name")
                        .asString())
                .isEqualTo("Test User");
        assertThat(patch(a.accessToken(), "email", "someone@mailinator.com").code())
                .isEqualTo("disposable_email");
        assertThat(patch(a.accessToken(), "email", "x".repeat(250) + "@example.com")
                        .code())
                .isEqualTo("validation_failed");
        assertThat(patch(a.accessToken(), "email", 42).code()).isEqualTo("validation_failed");
        assertThat(patch(a.accessToken(), "email", true).code()).isEqualTo("validation_failed");

        // The current address is no change at all, so it needs no step-up.
        clock.advance(Duration.ofMinutes(11));
        String access = http.post("/api/v1/auth/token/refresh")
                .json("refresh_token", a.refreshToken())
                .send()
                .json()
                .get("access_token")
                .asString();
        assertThat(patch(access, "email", a.email()).status()).isEqualTo(200);
    }

    private Http.Response login(String email) {
        return http.post("/api/v1/auth/login")
                .json("email", email, "password", TestAccounts.PASSWORD)
                .send();
    }

    private static String subject(MimeMessage m) {
        try {
            return m.getSubject();
        } catch (MessagingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Waits (polling, with a deadline) for an email with this subject to the address; returns its body. */
    private String awaitSubject(String to, String subject) {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(20));
        while (Instant.now().isBefore(deadline)) {
            for (MimeMessage m : accounts.mailTo(to)) {
                try {
                    if (subject.equals(m.getSubject())) return GreenMailUtil.getBody(m);
                } catch (MessagingException e) {
                    throw new IllegalStateException(e);
                }
            }
            SMTP.waitForIncomingEmail(200, SMTP.getReceivedMessages().length + 1);
        }
        throw new AssertionError("no '" + subject + "' email for " + to);
    }
}
