package dev.gatehouse.notification;

import dev.gatehouse.jobs.RetryPolicy;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Transactional email settings ({@code gatehouse.mail.*}). The transport itself is Spring's
 * {@code spring.mail.*}: with {@code spring.mail.host} set mail goes out over SMTP, without it mail is
 * captured for the admin API.
 *
 * @param from the {@code From} header, an address with an optional display name
 * @param retry how delivery retries while SMTP is unreachable
 * @param retention how long a sent email's copy is kept in the outbox
 * @param healthCacheTtl how long the SMTP health check's result is reused
 */
@ConfigurationProperties("gatehouse.mail")
record MailSettings(
        @DefaultValue("Gatehouse <no-reply@localhost>") String from,
        @DefaultValue Retry retry,
        @DefaultValue("30d") Duration retention,
        @DefaultValue("5s") Duration healthCacheTtl) {

    /**
     * Delivery retries ({@code gatehouse.mail.retry.*}). The defaults ride out about three and a half hours
     * of SMTP outage before an email is dead (and then an admin can still retry it).
     *
     * @param maxAttempts delivery attempts in total
     * @param initialDelay wait after the first failure; doubles after each further failure
     * @param maxDelay the longest wait between attempts
     */
    record Retry(
            @DefaultValue("12") int maxAttempts,
            @DefaultValue("10s") Duration initialDelay,
            @DefaultValue("1h") Duration maxDelay) {

        RetryPolicy policy() {
            return new RetryPolicy(maxAttempts, initialDelay, maxDelay);
        }
    }
}
