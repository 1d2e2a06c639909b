package dev.gatehouse.notification;

import dev.gatehouse.jobs.JobHandler;
import dev.gatehouse.jobs.JobType;
import dev.gatehouse.jobs.RetryPolicy;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The {@code email.deliver} job: hands one outbox email to the transport. At least once: an email whose send
 * succeeded but whose node died before recording it is sent again, with the same {@code Message-ID}.
 */
@Component
class EmailDelivery implements JobHandler<EmailDelivery.Delivery> {

    /** Stored as {@code {"email_id": "..."}}. */
    record Delivery(UUID emailId) {}

    static final JobType<Delivery> TYPE = JobType.of("email.deliver", Delivery.class);

    private static final Logger log = LoggerFactory.getLogger(EmailDelivery.class);

    private final Emails emails;
    private final MailTransport transport;
    private final MailSettings settings;
    private final MeterRegistry meters;
    private final Clock clock;

    EmailDelivery(Emails emails, MailTransport transport, MailSettings settings, MeterRegistry meters, Clock clock) {
        this.emails = emails;
        this.transport = transport;
        this.settings = settings;
        this.meters = meters;
        this.clock = clock;
    }

    @Override
    public JobType<Delivery> type() {
        return TYPE;
    }

    @Override
    public Optional<RetryPolicy> retryPolicy() {
        return Optional.of(settings.retry().policy());
    }

    @Override
    public void handle(Delivery delivery) throws Exception {
        UUID id = delivery.emailId();
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
    public void onDead(Delivery delivery) {
        UUID id = delivery.emailId();
        emails.dead(id, clock.instant());
        meters.counter("gatehouse.mail.dead").increment();
    }

    private static String describe(Exception e) {
        String text =
                e.getMessage() == null ? e.getClass().getName() : e.getClass().getName() + ": " + e.getMessage();
        return text.length() > 2000 ? text.substring(0, 2000) : text;
    }
}
