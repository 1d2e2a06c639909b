package dev.gatehouse.support;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.util.GreenMail;
import jakarta.mail.internet.MimeMessage;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Creates real accounts through the public API (register → emailed link → verify → login). */
public final class TestAccounts {

    public static final String PASSWORD = "Seven quiet otters juggle lanterns";
    public static final String ADMIN_EMAIL = "admin@gatehouse.test";
    public static final String ADMIN_PASSWORD = "Tall ferns whisper 7 riddles";

    public record Account(String email, String accessToken, String refreshToken) {}

    private final Http http;
    private final GreenMail smtp;

    public TestAccounts(Http http, GreenMail smtp) {
        this.http = http;
        this.smtp = smtp;
    }

    public static String uniqueEmail(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
    }

    /** Registers, verifies through the emailed link, and signs in. */
    public Account create(String prefix) {
        String email = uniqueEmail(prefix);
        register(email);
        verify(email);
        return login(email, PASSWORD);
    }

    public void register(String email) {
        Http.Response r = http.post("/api/v1/auth/register")
                .json("email", email, "password", PASSWORD, "name", "Test User")
                .send();
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
    }

    public void verify(String email) {
        String token = awaitToken(email, "verify-email");
        Http.Response r =
                http.post("/api/v1/auth/verify-email").json("token", token).send();
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
    }

    public Account login(String email, String password) {
        Http.Response r = http.post("/api/v1/auth/login")
                .json("email", email, "password", password)
                .send();
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        return new Account(
                email,
                r.json().get("access_token").asString(),
                r.json().get("refresh_token").asString());
    }

    public Account admin() {
        return login(ADMIN_EMAIL, ADMIN_PASSWORD);
    }

    /** Waits (polling, with a deadline) for the newest email to the address whose link path matches, and returns its token. */
    public String awaitToken(String email, String linkPath) {
        Pattern link = Pattern.compile("/" + Pattern.quote(linkPath) + "\\?token=([A-Za-z0-9_-]+)");
        Instant deadline = Instant.now().plus(Duration.ofSeconds(20));
        while (Instant.now().isBefore(deadline)) {
            Optional<String> token = Arrays.stream(mailTo(email))
                    .map(TestAccounts::text)
                    .map(link::matcher)
                    .filter(Matcher::find)
                    .map(m -> m.group(1))
                    .reduce((first, second) -> second);
            if (token.isPresent()) return token.get();
            smtp.waitForIncomingEmail(200, smtp.getReceivedMessages().length + 1);
        }
        throw new AssertionError("no " + linkPath + " email for " + email);
    }

    /**
     * The decoded text of every text part of a message. Decoding is JavaMail's own (quoted-printable or
     * base64, whichever the sender chose), not a regex over the raw body.
     */
    public static String text(MimeMessage message) {
        try {
            StringBuilder out = new StringBuilder();
            appendText(message, out);
            return out.toString();
        } catch (jakarta.mail.MessagingException | java.io.IOException e) {
            throw new AssertionError("unreadable email", e);
        }
    }

    private static void appendText(jakarta.mail.Part part, StringBuilder out)
            throws jakarta.mail.MessagingException, java.io.IOException {
        if (part.isMimeType("text/*")) {
            out.append(part.getContent()).append('\n');
        } else if (part.getContent() instanceof jakarta.mail.Multipart multipart) {
            for (int i = 0; i < multipart.getCount(); i++) appendText(multipart.getBodyPart(i), out);
        }
    }

    /** Messages received for one address. */
    public MimeMessage[] mailTo(String email) {
        return Arrays.stream(smtp.getReceivedMessages())
                .filter(m -> {
                    try {
                        return Arrays.stream(m.getAllRecipients())
                                .anyMatch(a -> a.toString().equalsIgnoreCase(email));
                    } catch (jakarta.mail.MessagingException e) {
                        return false;
                    }
                })
                .toArray(MimeMessage[]::new);
    }
}
