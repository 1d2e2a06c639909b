package dev.gatehouse.identity;

import dev.gatehouse.jobs.RecurringJob;
import dev.gatehouse.jobs.RecurringSchedule;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Deletes the refresh tokens and sessions that can no longer matter, every {@code gatehouse.auth.purge.interval},
 * in batches: the rotated tokens of families that have ended, and ended sessions once their retention is over.
 *
 * <p>What is kept, and why. A refresh leaves the token it was given behind as "rotated": presenting that
 * token again is how a stolen token is caught, and the answer revokes the family (RFC 9700 §4.14.2). That
 * answer protects a family only while the family lives, so <b>a live family keeps every rotated token,
 * however old</b>. Age does not make one harmless: a thief who refreshes first carries the family on, and
 * the legitimate client that comes back weeks later with its older, even expired, token is what reveals
 * the theft and ends the thief's family; without the row that client would merely hear "invalid".
 *
 * <p>Once a family has ended (its session revoked, or past its absolute lifetime) none of its tokens can be
 * redeemed and nothing is left to revoke, so its rotated tokens go at the first run after the reuse grace.
 * Presented afterwards, such a token is answered {@code invalid_refresh_token} as for any unknown token
 * (before, one of a revoked family got the same, and one of an expired family {@code refresh_token_reused}
 * with an audit entry that protected nothing). The family's last token stays with its session, so a client
 * presenting it still hears "expired" or "invalid" as before. The session itself stays for the user's
 * session history until {@code gatehouse.auth.purge.session-retention} after it ended, and then goes with
 * that last token.
 *
 * <p>A family that lapsed only by idleness (no refresh for {@code refresh-token-ttl}) counts as live until its
 * session's absolute lifetime: the lapse is recorded nowhere but in the tokens, and finding it would take an
 * index on {@code sessions.last_seen_at}, which every refresh updates and which would cost each refresh its
 * heap-only update. Such a family stopped growing when it lapsed, so it waits with the rows it has.
 */
@Component
class RefreshTokenPurge implements RecurringJob {

    private static final Logger log = LoggerFactory.getLogger(RefreshTokenPurge.class);

    /** Ended sessions handled together: their rotated tokens are deleted, then they are marked. */
    private static final int SESSION_BATCH = 500;

    /** Rows per delete statement, so that no statement holds locks on a large part of a table for long. */
    private static final int BATCH = 5_000;

    private final EndedSessions ended;
    private final AuthSettings settings;
    private final Clock clock;
    private final Counter tokensPurged;
    private final Counter sessionsPurged;

    RefreshTokenPurge(EndedSessions ended, AuthSettings settings, Clock clock, MeterRegistry meters) {
        this.ended = ended;
        this.settings = settings;
        this.clock = clock;
        this.tokensPurged = Counter.builder("gatehouse.refresh_tokens.purged")
                .description("Rotated refresh tokens of ended families deleted by the purge")
                .register(meters);
        this.sessionsPurged = Counter.builder("gatehouse.sessions.purged")
                .description("Ended sessions deleted (with their last tokens) after the retention")
                .register(meters);
    }

    @Override
    public String name() {
        return "refresh-tokens-purge";
    }

    @Override
    public RecurringSchedule schedule() {
        return RecurringSchedule.fixedDelay(settings.purge().interval());
    }

    @Override
    public void run() {
        Instant now = clock.instant();
        long started = System.nanoTime();
        long tokens = purgeRotatedTokens(now.minus(settings.refreshReuseGrace()), now);
        long sessions = purgeSessions(now.minus(settings.purge().sessionRetention()));
        log.info(
                "refresh_tokens_purged tokens={} sessions={} took_ms={}",
                tokens,
                sessions,
                (System.nanoTime() - started) / 1_000_000);
    }

    /**
     * Rotated tokens of families that ended before {@code graceEnd}. A session is marked once its tokens
     * are gone, so that a run never looks at it again; a run that stops halfway leaves it unmarked, and
     * the next run finishes it.
     */
    private long purgeRotatedTokens(Instant graceEnd, Instant now) {
        long total = 0;
        List<UUID> sessions;
        do {
            sessions = ended.unpurged(graceEnd, SESSION_BATCH);
            if (sessions.isEmpty()) break;
            int deleted;
            do {
                deleted = ended.deleteRotatedTokens(sessions, graceEnd, BATCH);
                total += deleted;
                tokensPurged.increment(deleted);
            } while (deleted == BATCH);
            ended.markPurged(sessions, now);
        } while (sessions.size() == SESSION_BATCH);
        return total;
    }

    private long purgeSessions(Instant endedBefore) {
        long total = 0;
        int deleted;
        do {
            deleted = ended.deleteEndedBefore(endedBefore, SESSION_BATCH);
            total += deleted;
            sessionsPurged.increment(deleted);
        } while (deleted == SESSION_BATCH);
        return total;
    }
}
