package dev.gatehouse.notification;

import java.time.Instant;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/** One row of the {@code emails} outbox: the rendered message and where its delivery stands. */
record StoredEmail(
        UUID id,
        String to,
        String template,
        String language,
        String subject,
        String text,
        String html,
        String status,
        int attempts,
        @Nullable String lastError,
        @Nullable UUID jobId,
        @Nullable String deliveredVia,
        Instant createdAt,
        Instant updatedAt,
        @Nullable Instant sentAt) {

    static final String QUEUED = "queued";
    static final String SENT = "sent";

    boolean sent() {
        return SENT.equals(status);
    }
}
