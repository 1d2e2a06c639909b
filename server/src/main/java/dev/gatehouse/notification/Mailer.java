package dev.gatehouse.notification;

import java.util.UUID;

/** Sends transactional email through the outbox: nothing is lost when SMTP is down or the node dies. */
public interface Mailer {

    /**
     * Stores the message in the outbox and enqueues its delivery job in the caller's transaction; returns the
     * email id. The template is rendered now, so a later template change never alters a queued message.
     *
     * @throws IllegalArgumentException for an unknown template, a missing model entry or a malformed address,
     *     which are programming errors rather than conditions a caller can handle
     */
    UUID send(Email email);
}
