package dev.gatehouse.identity;

import dev.gatehouse.platform.ApiException;
import dev.gatehouse.platform.Permission;
import dev.gatehouse.platform.RequiresPermission;
import io.swagger.v3.oas.annotations.Hidden;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.util.HtmlUtils;

/**
 * The pages emailed links open: confirm an email address (or ask for a new confirmation link), set a new
 * password, ask for a reset link. Plain HTML forms, no script. Opening a link changes nothing (mail scanners prefetch links); the
 * button posts the token back. A product with its own pages points {@code gatehouse.http.public-url}
 * elsewhere and calls the API instead.
 */
@RequiresPermission(Permission.PUBLIC)
@RestController
@Hidden
class AccountPages {

    private final Accounts accounts;
    private final AuthSettings settings;

    AccountPages(Accounts accounts, AuthSettings settings) {
        this.accounts = accounts;
        this.settings = settings;
    }

    @GetMapping(path = "/", produces = MediaType.TEXT_HTML_VALUE)
    ResponseEntity<String> home() {
        return page(HttpStatus.OK, "Gatehouse", """
                <p>Sign in from the application you use. Forgot your password?
                <a href="/forgot-password">Get a reset link</a>.</p>
                <p>Developers: the API reference is at <a href="/docs">/docs</a>.</p>""");
    }

    @GetMapping(path = "/verify-email", produces = MediaType.TEXT_HTML_VALUE)
    ResponseEntity<String> confirmEmail(@RequestParam(defaultValue = "") String token) {
        return page(HttpStatus.OK, "Confirm your email address", """
                <form method="post" action="/verify-email">
                  <input type="hidden" name="token" value="%s">
                  <button type="submit">Confirm my email address</button>
                </form>""".formatted(escape(token)));
    }

    @PostMapping(
            path = "/verify-email",
            consumes = MediaType.APPLICATION_FORM_URLENCODED_VALUE,
            produces = MediaType.TEXT_HTML_VALUE)
    ResponseEntity<String> verifyEmail(@RequestParam(defaultValue = "") String token) {
        try {
            accounts.verifyEmail(token);
            return page(HttpStatus.OK, "Email address confirmed", "<p>Thank you. You can now sign in.</p>");
        } catch (ApiException e) {
            // A used or expired confirmation link: what helps is a new one, not a password reset.
            return failure(e, """
                    <p>Already confirmed? Then just sign in from the application you use.</p>
                    <p>Otherwise, ask for a new confirmation link:</p>
                    """ + RESEND_FORM);
        }
    }

    /** Asks for a new confirmation link for an address; answers the same whether or not an account needs one. */
    private static final String RESEND_FORM = """
            <form method="post" action="/resend-verification">
              <label for="email">Email address</label>
              <input id="email" type="email" name="email" required autocomplete="email">
              <button type="submit">Send me a new confirmation link</button>
            </form>""";

    @GetMapping(path = "/resend-verification", produces = MediaType.TEXT_HTML_VALUE)
    ResponseEntity<String> resendForm() {
        return page(HttpStatus.OK, "Confirm your email address", RESEND_FORM);
    }

    @PostMapping(
            path = "/resend-verification",
            consumes = MediaType.APPLICATION_FORM_URLENCODED_VALUE,
            produces = MediaType.TEXT_HTML_VALUE)
    ResponseEntity<String> resend(@RequestParam(defaultValue = "") String email) {
        if (!email.isBlank() && email.length() <= 254) accounts.requestVerificationResend(email);
        return page(
                HttpStatus.ACCEPTED,
                "Check your email",
                "<p>If an account with that address still needs confirming, a new link is on its way. It works for "
                        + settings.verifyEmailTtl().toHours() + " hours.</p>");
    }

    @GetMapping(path = "/reset-password", produces = MediaType.TEXT_HTML_VALUE)
    ResponseEntity<String> resetForm(@RequestParam(defaultValue = "") String token) {
        return page(HttpStatus.OK, "Choose a new password", resetFormBody(token, ""));
    }

    @PostMapping(
            path = "/reset-password",
            consumes = MediaType.APPLICATION_FORM_URLENCODED_VALUE,
            produces = MediaType.TEXT_HTML_VALUE)
    ResponseEntity<String> reset(
            @RequestParam(defaultValue = "") String token,
            @RequestParam(name = "new_password", defaultValue = "") String password) {
        try {
            accounts.resetPassword(token, password);
            return page(
                    HttpStatus.OK,
                    "Password changed",
                    "<p>Your password is changed and every session was signed out."
                            + " Sign in again with the new password.</p>");
        } catch (ApiException e) {
            if (e.status() == HttpStatus.UNPROCESSABLE_CONTENT) {
                // The link is still good: show the form again with the reason.
                return page(e.status(), "Choose a new password", resetFormBody(token, e.detail()));
            }
            return failure(e, "<p><a href=\"/forgot-password\">Ask for a new password reset link</a></p>");
        }
    }

    @GetMapping(path = "/forgot-password", produces = MediaType.TEXT_HTML_VALUE)
    ResponseEntity<String> forgotForm() {
        return page(HttpStatus.OK, "Reset your password", """
                <form method="post" action="/forgot-password">
                  <label for="email">Email address</label>
                  <input id="email" type="email" name="email" required autocomplete="email">
                  <button type="submit">Send me a reset link</button>
                </form>""");
    }

    @PostMapping(
            path = "/forgot-password",
            consumes = MediaType.APPLICATION_FORM_URLENCODED_VALUE,
            produces = MediaType.TEXT_HTML_VALUE)
    ResponseEntity<String> forgot(@RequestParam(defaultValue = "") String email) {
        if (!email.isBlank() && email.length() <= 254) accounts.requestPasswordReset(email);
        return page(
                HttpStatus.ACCEPTED,
                "Check your email",
                "<p>If an account uses that address, a reset link is on its way. It works for "
                        + settings.passwordResetTtl().toMinutes() + " minutes.</p>");
    }

    private static String resetFormBody(String token, String error) {
        String alert = error.isEmpty() ? "" : "<p role=\"alert\">" + escape(error) + "</p>";
        return alert + """
                <form method="post" action="/reset-password">
                  <input type="hidden" name="token" value="%s">
                  <label for="new_password">New password (at least 10 characters; a passphrase works well)</label>
                  <input id="new_password" type="password" name="new_password" required minlength="10" autocomplete="new-password">
                  <button type="submit">Set the new password</button>
                </form>""".formatted(escape(token));
    }

    /** A link that cannot be used: why, and the way forward that fits the link ({@code next}, trusted HTML). */
    private static ResponseEntity<String> failure(ApiException e, String next) {
        return page(e.status(), "This link cannot be used", "<p>" + escape(e.detail()) + "</p>\n" + next);
    }

    private static String escape(String s) {
        return HtmlUtils.htmlEscape(s);
    }

    private static ResponseEntity<String> page(HttpStatus status, String title, String body) {
        String html = """
                <!doctype html>
                <html lang="en">
                <head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
                <title>%s · Gatehouse</title></head>
                <body><main><h1>%s</h1>
                %s
                </main></body></html>
                """.formatted(escape(title), escape(title), body);
        return ResponseEntity.status(status).contentType(MediaType.TEXT_HTML).body(html);
    }
}
