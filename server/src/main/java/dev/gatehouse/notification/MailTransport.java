package dev.gatehouse.notification;

import java.util.UUID;

/** Where outbox mail goes: an SMTP server, or captured in the database when none is configured. */
interface MailTransport {

    /** Stored as the email's {@code delivered_via}: {@code smtp} or {@code captured}. */
    String name();

    /**
     * Hands one message over. Throws to have delivery retried; throws
     * {@link dev.gatehouse.jobs.PermanentJobFailure} when no retry can succeed (every recipient rejected).
     */
    void deliver(Outgoing mail) throws Exception;

    /** Throws when the transport cannot take mail right now; used by the {@code mail} health check. */
    void checkConnection() throws Exception;

    /** A message ready for the wire; its id becomes the stable {@code Message-ID}. */
    record Outgoing(UUID id, String to, String subject, String text, String html, String language) {}
}
