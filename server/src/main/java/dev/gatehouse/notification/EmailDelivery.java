package dev.gatehouse.notification;

import dev.gatehouse.jobs.JobHandler;
import dev.gatehouse.jobs.PermanentJobFailure;
import dev.gatehouse.jobs.RetryPolicy;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The {@value #TYPE} job: hands one outbox email to the transport. At least once: an email whose send
 * succeeded but whose node died before recording it is sent again, with the same {@code Message-ID}.
 */
@Component
class EmailDelivery implements JobHandler {

    static final String TYPE = "email.deliver";

    private static final Logger log = LoggerFactory.getLogger(EmailDelivery.class);

    private final Emails emails;
    private final MailTransport transport;
    private final MailSettings settings;
    private final JsonMapper json;
    private final MeterRegistry meters;
    private final Clock clock;

    EmailDelivery(
            Emails emails,
            MailTransport transport,
            MailSettings settings,
            JsonMapper json,
            MeterRegistry meters,
            Clock clock) {
        this.emails = emails;
        this.transport = transport;
        this.settings = settings;
        this.json = json;
        this.meters = meters;
        this.clock = clock;
    }

    static String payload(UUID emailId) {
        return "{\"email_id\":\"" + emailId + "\"}";
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public Optional<RetryPolicy> retryPolicy() {
        return Optional.of(settings.retry().policy());
    }

    @Override
    public void handle(String payload) throws Exception {
        UUID id = emailId(payload);
        StoredEmail email = emails.find(id).orElse(null);
        if (email == null) {
            log.warn("email_missing id={}", id);
            return;
        }
        if (email.sent()) return;
        emails.attempted(id, clock.instant());
        try {
            transport.deliver(new MailTransport.Outgoing(
                    id, email.to(), email.subject(), email.text(), email.html(), email.language()));
        } catch (Exception e) {
            emails.failed(id, describe(e), clock.instant());
            meters.counter("gatehouse.mail.failures", "transport", transport.name())
                    .increment();
            throw e;
        }
        emails.sent(id, transport.name(), clock.instant());
        meters.counter("gatehouse.mail.sent", "transport", transport.name(), "template", email.template())
                .increment();
        log.info("email_delivered id={} template={} via={}", id, email.template(), transport.name());
    }

    @Override
    public void onDead(String payload) {
        UUID id = emailId(payload);
        emails.dead(id, clock.instant());
        meters.counter("gatehouse.mail.dead").increment();
    }

    private UUID emailId(String payload) {
        try {
            JsonNode node = json.readTree(payload).get("email_id");
            if (node != null && node.isString()) return UUID.fromString(node.asString());
        } catch (JacksonException | IllegalArgumentException e) {
            // reported below
        }
        throw new PermanentJobFailure("Not an email delivery payload: " + payload);
    }

    private static String describe(Exception e) {
        String text =
                e.getMessage() == null ? e.getClass().getName() : e.getClass().getName() + ": " + e.getMessage();
        return text.length() > 2000 ? text.substring(0, 2000) : text;
    }
}
