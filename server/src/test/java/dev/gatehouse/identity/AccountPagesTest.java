package dev.gatehouse.identity;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.support.EndToEndTest;
import dev.gatehouse.support.Http;
import dev.gatehouse.support.TestAccounts;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The pages behind emailed links work without script, and opening a link changes nothing. */
class AccountPagesTest extends EndToEndTest {

    private Http.Response form(String path, String... pairs) {
        StringBuilder body = new StringBuilder();
        for (int i = 0; i < pairs.length; i += 2) {
            if (!body.isEmpty()) body.append('&');
            body.append(pairs[i]).append('=').append(URLEncoder.encode(pairs[i + 1], StandardCharsets.UTF_8));
        }
        return http.post(path)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .body(body.toString())
                .send();
    }

    @Test
    void verificationLinkOpensAPageWhoseButtonVerifies() {
        TestAccounts accounts = new TestAccounts(http, SMTP);
        String email = TestAccounts.uniqueEmail("page");
        accounts.register(email);
        String token = accounts.awaitToken(email, "verify-email");

        Http.Response page = http.get("/verify-email?token=" + token).send();
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.header("Content-Type")).startsWith("text/html");
        assertThat(page.body()).contains("value=\"" + token + "\"").contains("<form method=\"post\"");
        // Opening the link did not use it.
        assertThat(http.post("/api/v1/auth/login")
                        .json("email", email, "password", TestAccounts.PASSWORD)
                        .send()
                        .code())
                .isEqualTo("email_not_verified");

        Http.Response done = form("/verify-email", "token", token);
        assertThat(done.status()).as(done.toString()).isEqualTo(200);
        assertThat(done.body()).contains("Email address confirmed");
        accounts.login(email, TestAccounts.PASSWORD);

        Http.Response again = form("/verify-email", "token", token);
        assertThat(again.status()).isEqualTo(400);
        assertThat(again.body()).contains("This link cannot be used");
    }

    @Test
    void aDeadVerificationLinkOffersANewConfirmationLinkNotAPasswordReset() {
        TestAccounts accounts = new TestAccounts(http, SMTP);
        String email = TestAccounts.uniqueEmail("page-resend");
        accounts.register(email);
        String first = accounts.awaitToken(email, "verify-email");

        Http.Response dead = form("/verify-email", "token", "not-a-live-token");
        assertThat(dead.status()).isEqualTo(400);
        assertThat(dead.body())
                .contains("This link cannot be used")
                .contains("action=\"/resend-verification\"")
                .doesNotContain("forgot-password");
        assertThat(http.get("/resend-verification").send().body()).contains("action=\"/resend-verification\"");

        Http.Response sent = form("/resend-verification", "email", email);
        assertThat(sent.status()).isEqualTo(202);
        assertThat(sent.body()).contains("Check your email");
        String second = newToken(accounts, email, first);
        assertThat(form("/verify-email", "token", second).body()).contains("Email address confirmed");
        accounts.login(email, TestAccounts.PASSWORD);

        // The same answer for an address without an account: the page reveals nothing.
        assertThat(form("/resend-verification", "email", "nobody-" + email).status())
                .isEqualTo(202);
    }

    /** Waits, with a deadline, for a verification link other than the one already seen. */
    private static String newToken(TestAccounts accounts, String email, String seen) {
        java.time.Instant deadline = java.time.Instant.now().plusSeconds(20);
        while (java.time.Instant.now().isBefore(deadline)) {
            String token = accounts.awaitToken(email, "verify-email");
            if (!token.equals(seen)) return token;
            SMTP.waitForIncomingEmail(200, SMTP.getReceivedMessages().length + 1);
        }
        throw new AssertionError("no new verification email for " + email);
    }

    @Test
    void resetPageSetsANewPasswordAndExplainsRejections() {
        TestAccounts accounts = new TestAccounts(http, SMTP);
        TestAccounts.Account a = accounts.create("page-reset");
        assertThat(form("/forgot-password", "email", a.email()).status()).isEqualTo(202);
        String token = accounts.awaitToken(a.email(), "reset-password");

        assertThat(http.get("/reset-password?token=" + token).send().body()).contains("value=\"" + token + "\"");
        Http.Response weak = form("/reset-password", "token", token, "new_password", "short");
        assertThat(weak.status()).isEqualTo(422);
        assertThat(weak.body()).contains("role=\"alert\"").contains("value=\"" + token + "\"");

        Http.Response ok = form("/reset-password", "token", token, "new_password", "Glass river under 9 moons");
        assertThat(ok.status()).as(ok.toString()).isEqualTo(200);
        accounts.login(a.email(), "Glass river under 9 moons");
    }

    @Test
    void pagesEscapeWhatTheyEcho() {
        Http.Response page = http.get("/verify-email?token=%22%3E%3Cscript%3Ealert(1)%3C/script%3E")
                .send();
        assertThat(page.body()).doesNotContain("<script>").contains("&lt;script&gt;");
        assertThat(page.header("Content-Security-Policy")).contains("default-src 'none'");
        assertThat(form("/forgot-password", "email", "nobody@example.com").status())
                .isEqualTo(202);
        assertThat(http.get("/").send().body()).contains("/forgot-password");
    }
}
