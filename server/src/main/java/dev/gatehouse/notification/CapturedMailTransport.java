package dev.gatehouse.notification;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded default when no SMTP server is configured: a message counts as delivered, and stays readable
 * by admins in the {@code captured_mail} view ({@code GET /api/v1/admin/mail}), so sign-up works on a laptop.
 */
class CapturedMailTransport implements MailTransport {

    private static final Logger log = LoggerFactory.getLogger(CapturedMailTransport.class);

    @Override
    public String name() {
        return "captured";
    }

    @Override
    public void deliver(Outgoing mail) {
        log.info(
                "mail_captured id={} language={} subject=\"{}\" (read it at GET /api/v1/admin/mail)",
                mail.id(),
                mail.language(),
                mail.subject());
    }

    @Override
    public void checkConnection() {}
}
