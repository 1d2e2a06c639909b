package dev.gatehouse.notification;

import java.time.Instant;
import java.util.UUID;

/** A message kept instead of sent, because no SMTP server is configured (the embedded default). */
record CapturedMail(UUID id, String to, String subject, String text, String html, Instant createdAt) {}
