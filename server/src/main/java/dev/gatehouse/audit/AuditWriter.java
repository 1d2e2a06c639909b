package dev.gatehouse.audit;

import dev.gatehouse.platform.RequestIds;
import jakarta.servlet.http.HttpServletRequest;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

/**
 * Appends events to the chain, one insert each, in the caller's transaction.
 *
 * <p>Appends are serialized by locking the single {@code audit_chain_head} row: every writer on every node
 * waits for it, reads the last seq and hash, inserts the next row and moves the head, and the lock goes
 * with its transaction. That keeps the chain strictly linear and gap-free (a rolled-back append releases
 * the lock and its seq is taken by the next writer), at the price of one audited transaction at a time
 * between the append and the commit. The alternatives cost more: a sequence leaves gaps on rollback and
 * orders rows by start rather than by commit; an advisory lock plus {@code max(seq)} does the same work
 * with less to show for it, since the head row also lets verify notice a cut-off end of the chain; and a
 * background chainer that hashes committed rows later would leave recent events unchained, for a time,
 * exactly when an intruder is active.
 *
 * <p>{@link #record} does not append at once: it keeps the entry (with the request's IP, user agent and id
 * taken now) and appends everything the transaction recorded just before it commits. So the chain lock
 * is always the last lock a transaction takes and is held only for its commit, whatever order its
 * callers record and lock rows in: no deadlock between the chain and other rows, and audited
 * transactions wait for each other only at commit. A failure to append fails the commit, so the change
 * and its audit rows still commit together or not at all.
 */
@Service
class AuditWriter implements AuditLog {

    private static final Logger log = LoggerFactory.getLogger(AuditWriter.class);

    /** Sessions store the same cap; a longer header says nothing more about the client. */
    private static final int MAX_USER_AGENT = 512;

    private final AuditEvents events;
    private final Clock clock;

    AuditWriter(AuditEvents events, Clock clock) {
        this.events = events;
        this.clock = clock;
    }

    /** An entry with the request context it was recorded in, waiting for its transaction's commit. */
    private record Pending(
            AuditEntry entry,
            @Nullable String ip,
            @Nullable String userAgent,
            @Nullable String requestId) {}

    @Override
    @Transactional(propagation = Propagation.MANDATORY)
    public void record(AuditEntry entry) {
        HttpServletRequest request = currentRequest();
        String ip = request == null ? null : request.getRemoteAddr();
        Pending pending = new Pending(entry, ip, request == null ? null : userAgent(request), RequestIds.current());
        @SuppressWarnings("unchecked")
        List<Pending> queue = (List<Pending>) TransactionSynchronizationManager.getResource(this);
        if (queue == null) {
            List<Pending> fresh = new ArrayList<>();
            TransactionSynchronizationManager.bindResource(this, fresh);
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void beforeCommit(boolean readOnly) {
                    fresh.forEach(AuditWriter.this::append);
                }

                @Override
                public void afterCompletion(int status) {
                    TransactionSynchronizationManager.unbindResourceIfPossible(AuditWriter.this);
                }
            });
            queue = fresh;
        }
        queue.add(pending);
    }

    private void append(Pending pending) {
        AuditEntry entry = pending.entry();
        AuditEvents.LockedHead locked = events.lockHead();
        AuditEvents.Head head = locked.head();
        long seq = head.seq() + 1;
        if (locked.maxSeq() > head.seq()) {
            // Rows beyond the head were inserted by something other than this writer. Chaining to their hash
            // would bless them, and reusing their seqs would fail every audited change from now on; so the
            // new row links to the real head's hash but is numbered after them, and verify reports the
            // break at the first of them.
            log.error(
                    "audit_chain_tampered: rows up to seq {} were not appended by Gatehouse (head is seq {});"
                            + " run POST /api/v1/admin/audit-events/verify",
                    locked.maxSeq(),
                    head.seq());
            seq = locked.maxSeq() + 1;
        }
        // Taken under the lock, so time and seq order agree on each node. Cut to what timestamptz keeps,
        // so that verify recomputes the hash from exactly the same instant.
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        AuditEvent event = new AuditEvent(
                        seq,
                        UUID.randomUUID(),
                        now,
                        entry.actorId(),
                        entry.impersonatorId(),
                        entry.action(),
                        entry.targetType(),
                        entry.targetId(),
                        pending.ip() == null ? null : AuditEntry.clean(pending.ip()),
                        pending.userAgent(),
                        pending.requestId() == null ? null : AuditEntry.clean(pending.requestId()),
                        entry.details(),
                        head.hash(),
                        AuditEvent.GENESIS)
                .withComputedHash();
        events.append(event, CanonicalJson.write(event.details()));
    }

    private static @Nullable HttpServletRequest currentRequest() {
        return RequestContextHolder.getRequestAttributes() instanceof ServletRequestAttributes attributes
                ? attributes.getRequest()
                : null;
    }

    private static @Nullable String userAgent(HttpServletRequest request) {
        String ua = request.getHeader("User-Agent");
        if (ua == null || ua.isBlank()) return null;
        return AuditEntry.clean(ua.length() > MAX_USER_AGENT ? ua.substring(0, MAX_USER_AGENT) : ua);
    }
}
