package dev.gatehouse.audit;

import com.fasterxml.jackson.annotation.JsonRawValue;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * An audit event as the search shows it: every stored column, with {@code occurred_at} in the exact text the
 * hash covers and the hashes in hex, so a page can be checked against an export.
 *
 * @param details the canonical JSON text, written as is: the API's rule of leaving out nulls applies to
 *     the event's own members, not to what the details say
 */
record AuditEventView(
        long seq,
        UUID id,
        String occurredAt,
        @Nullable UUID actorId,
        @Nullable UUID impersonatorId,
        String action,
        @Nullable String targetType,
        @Nullable String targetId,
        @Nullable String ip,
        @Nullable String userAgent,
        @Nullable String requestId,
        @JsonRawValue String details,
        String prevHash,
        String hash) {

    static AuditEventView of(AuditEvent e) {
        return new AuditEventView(
                e.seq(),
                e.id(),
                AuditEvent.TIME.format(e.occurredAt()),
                e.actorId(),
                e.impersonatorId(),
                e.action(),
                e.targetType(),
                e.targetId(),
                e.ip(),
                e.userAgent(),
                e.requestId(),
                CanonicalJson.write(e.details()),
                AuditEvent.HEX.formatHex(e.prevHash()),
                AuditEvent.HEX.formatHex(e.hash()));
    }
}
