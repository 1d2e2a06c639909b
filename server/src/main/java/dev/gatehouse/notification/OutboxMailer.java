package dev.gatehouse.notification;

import dev.gatehouse.jobs.Jobs;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import java.time.Clock;
import java.time.Instant;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * The {@link Mailer}: renders now, stores in the {@code emails} outbox and enqueues an {@code email.deliver}
 * job, all in the caller's transaction. A business write and its email therefore commit or vanish together,
 * and a committed email survives SMTP outages and node crashes until it is delivered or dead-lettered.
 */
@Service
class OutboxMailer implements Mailer {

    private static final Logger log = LoggerFactory.getLogger(OutboxMailer.class);

    private final MailTemplates templates;
    private final Emails emails;
    private final Jobs jobs;
    private final MeterRegistry meters;
    private final Clock clock;

    OutboxMailer(MailTemplates templates, Emails emails, Jobs jobs, MeterRegistry meters, Clock clock) {
        this.templates = templates;
        this.emails = emails;
        this.jobs = jobs;
        this.meters = meters;
        this.clock = clock;
    }

    @Override
    @Transactional
    public UUID send(Email email) {
        String to = recipient(email.to());
        RenderedEmail rendered = templates.render(email);
        UUID id = UUID.randomUUID();
        UUID jobId = jobs.enqueue(EmailDelivery.TYPE, new EmailDelivery.Delivery(id), null);
        Instant now = clock.instant();
        emails.insert(new StoredEmail(
                id,
                to,
                email.template(),
                rendered.language(),
                rendered.subject(),
                rendered.text(),
                rendered.html(),
                StoredEmail.QUEUED,
                0,
                null,
                jobId,
                null,
                now,
                now,
                null));
        meters.counter("gatehouse.mail.queued", "template", email.template()).increment();
        // No address in the log line: it is personal data, and the id leads to it.
        log.info(
                "email_queued id={} template={} language={} job_id={}",
                id,
                email.template(),
                rendered.language(),
                jobId);
        return id;
    }

    /** A single bare address; display names and lists are refused, so a name cannot smuggle in recipients. */
    private static String recipient(String to) {
        try {
            InternetAddress[] parsed = InternetAddress.parse(to.strip(), /* strict= */ true);
            if (parsed.length == 1
                    && parsed[0].getPersonal() == null
                    && to.strip().equals(parsed[0].getAddress())) {
                parsed[0].validate();
                return parsed[0].getAddress();
            }
        } catch (AddressException e) {
            // reported below
        }
        throw new IllegalArgumentException("Not a single email address: '" + to + "'");
    }
}
