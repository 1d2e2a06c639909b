package dev.gatehouse.notification;

import dev.gatehouse.jobs.RecurringJob;
import dev.gatehouse.jobs.RecurringSchedule;
import java.time.Clock;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Deletes sent emails older than {@code gatehouse.mail.retention}, daily: their bodies hold one-time links
 * and personal data with no use once delivered. Failed and dead ones stay for investigation and retry.
 */
@Component
class EmailPurge implements RecurringJob {

    private static final Logger log = LoggerFactory.getLogger(EmailPurge.class);
    private static final int BATCH = 5_000;

    private final Emails emails;
    private final MailSettings settings;
    private final Clock clock;

    EmailPurge(Emails emails, MailSettings settings, Clock clock) {
        this.emails = emails;
        this.settings = settings;
        this.clock = clock;
    }

    @Override
    public String name() {
        return "email-purge";
    }

    @Override
    public RecurringSchedule schedule() {
        return RecurringSchedule.cron("0 37 3 * * *");
    }

    @Override
    public void run() {
        Instant before = clock.instant().minus(settings.retention());
        int total = 0;
        int deleted;
        do {
            deleted = emails.purgeSent(before, BATCH);
            total += deleted;
        } while (deleted == BATCH);
        log.info("emails_purged count={} before={}", total, before);
    }
}
