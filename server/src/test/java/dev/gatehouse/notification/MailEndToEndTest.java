package dev.gatehouse.notification;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatehouse.support.EndToEndTest;
import dev.gatehouse.support.Http;
import dev.gatehouse.support.Poll;
import dev.gatehouse.support.TestBearerTokens;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.mail.Address;
import jakarta.mail.BodyPart;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.health.contributor.Status;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.mail.javamail.JavaMailSenderImpl;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;

/** The outbox end to end: Mailer → emails → email.deliver job → SMTP (GreenMail), and the captured inbox. */
class MailEndToEndTest extends EndToEndTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @Autowired
    private Mailer mailer;

    @Autowired
    private Emails emails;

    @Autowired
    private JdbcClient db;

    @Autowired
    private PlatformTransactionManager transactions;

    @Autowired
    private JavaMailSenderImpl smtpSender;

    @Autowired
    private MailHealthIndicator mailHealth;

    @Autowired
    private MailSettings settings;

    @Autowired
    private MeterRegistry meters;

    @Autowired
    private Clock clock;

    @Test
    void deliversALocalizedTextAndHtmlEmailOverSmtp() throws Exception {
        String to = recipient();
        UUID id = mailer.send(new Email(
                to,
                "verify-email",
                Locale.forLanguageTag("es"),
                Map.of("name", "Ada", "link", "https://app.example.com/verify?token=abc", "expires_hours", "24")));

        MimeMessage message = Poll.until(WAIT, "mail to " + to, () -> single(to));
        assertThat(message.getSubject()).isEqualTo("Confirma tu dirección de correo electrónico");
        assertThat(message.getFrom()[0].toString()).isEqualTo("Gatehouse <no-reply@localhost>");
        assertThat(message.getHeader("Message-ID")).containsExactly("<" + id + "@localhost>");
        assertThat(message.getHeader("Content-Language")).containsExactly("es");
        assertThat(message.getContentType()).startsWith("multipart/alternative");
        MimeMultipart parts = (MimeMultipart) message.getContent();
        assertThat(parts.getCount()).isEqualTo(2);
        BodyPart text = parts.getBodyPart(0);
        BodyPart html = parts.getBodyPart(1);
        assertThat(text.getContentType()).startsWith("text/plain").containsIgnoringCase("utf-8");
        assertThat((String) text.getContent())
                .contains("Hola, Ada:", "https://app.example.com/verify?token=abc", "24 horas");
        assertThat(html.getContentType()).startsWith("text/html");
        assertThat((String) html.getContent())
                .contains("lang=\"es\"", "href=\"https://app.example.com/verify?token=abc\"", "Confirmar dirección");

        StoredEmail stored = Poll.until(
                WAIT,
                "email marked sent",
                () -> emails.find(id).filter(StoredEmail::sent).orElse(null));
        assertThat(stored.deliveredVia()).isEqualTo("smtp");
        assertThat(stored.attempts()).isEqualTo(1);
        assertThat(stored.language()).isEqualTo("es");
        Poll.untilTrue(WAIT, "delivery job succeeded", () -> "succeeded".equals(jobState(stored.jobId())));
    }

    @Test
    void emailSentInARolledBackTransactionIsNeverStoredNorSent() {
        String to = recipient();
        new TransactionTemplate(transactions).executeWithoutResult(s -> {
            mailer.send(new Email(to, "welcome", Locale.ENGLISH, Map.of("name", "Ada")));
            s.setRollbackOnly();
        });
        assertThat(db.sql("select count(*) from emails where to_address = :to")
                        .param("to", to)
                        .query(Long.class)
                        .single())
                .isZero();
        assertThat(messagesTo(to)).isEmpty();
    }

    @Test
    void programmingErrorsFailAtSendTime() {
        assertThatThrownBy(() -> mailer.send(new Email(recipient(), "newsletter", Locale.ENGLISH, Map.of())))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("newsletter");
        assertThatThrownBy(() -> mailer.send(new Email(
                        "Eve <eve@example.com>, bob@example.com", "welcome", Locale.ENGLISH, Map.of("name", "Eve"))))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(
                        () -> mailer.send(new Email("not an address", "welcome", Locale.ENGLISH, Map.of("name", "x"))))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void emailWaitsOutAnSmtpOutageAndIsDeliveredOnceItEnds() throws Exception {
        String to = recipient();
        int realPort = smtpSender.getPort();
        UUID id;
        smtpSender.setPort(closedPort());
        try {
            id = mailer.send(new Email(to, "password-changed", Locale.FRENCH, Map.of("name", "Ada")));
            StoredEmail failed = Poll.until(
                    WAIT,
                    "a failed attempt",
                    () -> emails.find(id)
                            .filter(e -> e.status().equals("failed"))
                            .orElse(null));
            assertThat(failed.attempts()).isGreaterThanOrEqualTo(1);
            assertThat(failed.lastError()).isNotBlank();
            assertThat(jobState(failed.jobId())).isIn("failed", "running");
            Poll.untilTrue(
                    WAIT,
                    "mail health DOWN",
                    () -> mailHealth.health().getStatus().equals(Status.DOWN));
            assertThat(messagesTo(to)).isEmpty();
        } finally {
            smtpSender.setPort(realPort);
        }

        MimeMessage message = Poll.until(WAIT, "mail to " + to + " after the outage", () -> single(to));
        assertThat(message.getSubject()).isEqualTo("Votre mot de passe a été modifié");
        StoredEmail sent = Poll.until(
                WAIT,
                "email marked sent",
                () -> emails.find(id).filter(StoredEmail::sent).orElse(null));
        assertThat(sent.attempts()).isGreaterThanOrEqualTo(2);
        assertThat(messagesTo(to)).as("delivered exactly once").hasSize(1);
        Poll.untilTrue(
                WAIT, "mail health UP", () -> mailHealth.health().getStatus().equals(Status.UP));
    }

    @Test
    void capturedMailIsReadableByAdminsOnly() throws Exception {
        // The app under test sends over SMTP; the captured transport is driven directly on a stored email.
        String to = recipient();
        UUID id = UUID.randomUUID();
        Instant now = clock.instant();
        emails.insert(new StoredEmail(
                id,
                to,
                "welcome",
                "en",
                "Welcome to Gatehouse",
                "Hi Ada,",
                "<p>Hi Ada,</p>",
                "queued",
                0,
                null,
                null,
                null,
                now,
                now,
                null));
        EmailDelivery captured = new EmailDelivery(emails, new CapturedMailTransport(), settings, meters, clock);
        assertThat(new MailHealthIndicator(new CapturedMailTransport(), settings)
                        .health()
                        .getStatus())
                .isEqualTo(Status.UP);

        // The stored form of the payload, as jobs queued by earlier releases hold it.
        captured.handle(EmailDelivery.TYPE.read("{\"email_id\":\"" + id + "\"}"));
        captured.handle(new EmailDelivery.Delivery(id)); // a re-run after a crash does not deliver twice

        Http.Response inbox = http.get("/api/v1/admin/mail?to=" + to.toUpperCase(Locale.ROOT) + "&limit=5")
                .bearer(TestBearerTokens.ADMIN)
                .send();
        assertThat(inbox.status()).isEqualTo(200);
        JsonNode data = inbox.json().get("data");
        assertThat(data.size()).isEqualTo(1);
        JsonNode mail = data.get(0);
        assertThat(mail.get("id").asString()).isEqualTo(id.toString());
        assertThat(mail.get("to").asString()).isEqualTo(to);
        assertThat(mail.get("subject").asString()).isEqualTo("Welcome to Gatehouse");
        assertThat(mail.get("text").asString()).isEqualTo("Hi Ada,");
        assertThat(mail.get("html").asString()).isEqualTo("<p>Hi Ada,</p>");
        assertThat(mail.has("created_at")).isTrue();
        assertThat(emails.find(id).orElseThrow().attempts()).isEqualTo(1);

        assertThat(http.get("/api/v1/admin/mail")
                        .bearer(TestBearerTokens.user(UUID.randomUUID()))
                        .send()
                        .status())
                .isEqualTo(403);
        assertThat(http.get("/api/v1/admin/mail").send().status()).isEqualTo(401);
        assertThat(http.get("/api/v1/admin/mail?limit=500")
                        .bearer(TestBearerTokens.ADMIN)
                        .send()
                        .code())
                .isEqualTo("validation_failed");
    }

    private String jobState(UUID jobId) {
        return db.sql("select state from job_runs where id = :id")
                .param("id", jobId)
                .query(String.class)
                .optional()
                .orElse(null);
    }

    private static String recipient() {
        return "ada-" + UUID.randomUUID() + "@example.com";
    }

    private static MimeMessage single(String to) {
        List<MimeMessage> messages = messagesTo(to);
        return messages.isEmpty() ? null : messages.getFirst();
    }

    static List<MimeMessage> messagesTo(String to) {
        return Arrays.stream(SMTP.getReceivedMessages())
                .filter(m -> addressedTo(m, to))
                .toList();
    }

    private static boolean addressedTo(MimeMessage message, String to) {
        try {
            Address[] recipients = message.getAllRecipients();
            return recipients != null
                    && Arrays.stream(recipients).anyMatch(a -> a.toString().equals(to));
        } catch (MessagingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static int closedPort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
