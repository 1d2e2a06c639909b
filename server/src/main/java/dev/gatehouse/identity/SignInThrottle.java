package dev.gatehouse.identity;

import static dev.gatehouse.platform.Timestamps.instant;
import static dev.gatehouse.platform.Timestamps.nullableInstant;
import static dev.gatehouse.platform.Timestamps.utc;

import dev.gatehouse.platform.ApiException;
import dev.gatehouse.platform.RequestIds;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Brute-force protection: failure counters per subject (an account's email, a client IP) in PostgreSQL,
 * so every node sees the same counts. A subject that reaches its limit inside its window is locked until
 * the window ends; each further lockout at least doubles (from {@code lockout}, capped at
 * {@code max-lockout}), so a patient attacker gets slower and slower.
 *
 * <p>Accounts are keyed by the normalized email as typed, whether or not an account has it: a lockout
 * answer therefore says nothing about which emails exist. Checks run before the password hash, so a
 * locked subject costs one indexed read, not an Argon2 computation.
 */
@Component
class SignInThrottle {

    enum Kind {
        LOGIN_ACCOUNT("login:account:"),
        LOGIN_IP("login:ip:"),
        REGISTER_IP("register:ip:");

        final String prefix;

        Kind(String prefix) {
            this.prefix = prefix;
        }
    }

    private final JdbcClient db;
    private final TransactionTemplate tx;
    private final AuthSettings.Throttle settings;
    private final ApplicationEventPublisher events;
    private final Clock clock;
    private final Set<String> exemptKeys;

    SignInThrottle(
            JdbcClient db,
            TransactionTemplate tx,
            AuthSettings settings,
            ApplicationEventPublisher events,
            Clock clock) {
        this.db = db;
        this.tx = tx;
        this.settings = settings.throttle();
        this.events = events;
        this.clock = clock;
        this.exemptKeys = this.settings.exemptIps().stream()
                .flatMap(ip -> Stream.of(key(Kind.LOGIN_IP, ip), key(Kind.REGISTER_IP, ip)))
                .collect(Collectors.toUnmodifiableSet());
    }

    /** A subject's failure count and lockout, as stored. */
    record Standing(String key, int failures, @Nullable Instant lockedUntil) {}

    /** The keys of the subjects that are counted: exempt client IPs are not. */
    List<String> counted(List<String> subjects) {
        return subjects.stream().filter(k -> !exemptKeys.contains(k)).toList();
    }

    /** {@link #judge} of the subjects' stored standings. */
    Set<String> check(List<String> subjects) {
        List<String> keys = counted(subjects);
        if (keys.isEmpty()) return Set.of();
        return judge(db.sql("select key, failures, locked_until from auth_throttle where key in (:keys)")
                .param("keys", keys)
                .query((rs, n) -> new Standing(rs.getString(1), rs.getInt(2), nullableInstant(rs, "locked_until")))
                .list());
    }

    /**
     * Refuses with 429 {@code too_many_attempts} while any of the standings is locked; otherwise returns the
     * keys that have failures on record (so a success knows whether there is anything to forget, without a
     * write on every sign-in).
     */
    Set<String> judge(List<Standing> standings) {
        Instant now = clock.instant();
        Instant until = standings.stream()
                .map(Standing::lockedUntil)
                .filter(t -> t != null && t.isAfter(now))
                .max(Instant::compareTo)
                .orElse(null);
        if (until != null) throw tooManyAttempts(Duration.between(now, until));
        return standings.stream()
                .filter(r -> r.failures() > 0)
                .map(Standing::key)
                .collect(Collectors.toUnmodifiableSet());
    }

    static String key(Kind kind, @Nullable String subject) {
        return kind.prefix + (subject == null ? "unknown" : subject);
    }

    /**
     * A failed sign-in: counts it against the account and the client IP, and records it, in its own
     * transaction (the failed request has nothing to commit, and the count must stick).
     */
    void loginFailed(String email, @Nullable String ip, @Nullable UUID userId, SignInFailed.Reason reason) {
        Instant now = clock.instant();
        tx.executeWithoutResult(status -> {
            SignInLockedOut account = count(Kind.LOGIN_ACCOUNT, key(Kind.LOGIN_ACCOUNT, email), now);
            SignInLockedOut client = count(Kind.LOGIN_IP, key(Kind.LOGIN_IP, ip), now);
            // Published after the counters' row locks are taken: listeners (the audit log) take locks of
            // their own, and taking theirs in between ours could deadlock with a concurrent failure.
            events.publishEvent(new SignInFailed(email, userId, ip, reason, RequestIds.current(), now));
            if (account != null) events.publishEvent(account);
            if (client != null) events.publishEvent(client);
        });
    }

    /** A registration attempt from the IP: they are limited per IP whatever their outcome. */
    void registrationAttempted(@Nullable String ip) {
        Instant now = clock.instant();
        tx.executeWithoutResult(status -> {
            SignInLockedOut locked = count(Kind.REGISTER_IP, key(Kind.REGISTER_IP, ip), now);
            if (locked != null) events.publishEvent(locked);
        });
    }

    /** Counts one failure against the subject; at its limit, locks it and returns the lockout. */
    private @Nullable SignInLockedOut count(Kind kind, String key, Instant now) {
        if (exemptKeys.contains(key)) return null;
        Limit limit = limit(kind);
        Integer failures = db.sql("""
                insert into auth_throttle (key, failures, window_started_at, lockouts, updated_at)
                values (:key, 1, :now, 0, :now)
                on conflict (key) do update set
                    failures = case when auth_throttle.window_started_at <= :windowStart then 1
                                    else auth_throttle.failures + 1 end,
                    window_started_at = case when auth_throttle.window_started_at <= :windowStart then :now
                                             else auth_throttle.window_started_at end,
                    updated_at = :now
                returning failures
                """)
                .param("key", key)
                .param("now", utc(now))
                .param("windowStart", utc(now.minus(limit.window())))
                .query(Integer.class)
                .single();
        if (failures < limit.max()) return null;
        // The upsert holds the row lock until commit, so concurrent failures reach this point one at a time
        // and each sees the counter the previous one reset.
        Row row = db.sql("select window_started_at, lockouts from auth_throttle where key = :key")
                .param("key", key)
                .query((rs, n) -> new Row(instant(rs, 1), rs.getInt(2)))
                .single();
        Instant windowEnd = row.windowStartedAt().plus(limit.window());
        Duration escalated = settings.lockout().multipliedBy(1L << Math.min(row.lockouts(), 20));
        if (escalated.compareTo(settings.maxLockout()) > 0) escalated = settings.maxLockout();
        Instant until = windowEnd.isAfter(now.plus(escalated)) ? windowEnd : now.plus(escalated);
        db.sql("""
                update auth_throttle set locked_until = :until, lockouts = lockouts + 1, failures = 0,
                       window_started_at = :now, updated_at = :now
                where key = :key
                """)
                .param("key", key)
                .param("until", utc(until))
                .param("now", utc(now))
                .update();
        return new SignInLockedOut(key, until, RequestIds.current(), now);
    }

    private record Row(Instant windowStartedAt, int lockouts) {}

    /** A success forgets the account's failures (its lockout history stays until the row ages out). */
    void succeeded(String key) {
        db.sql("update auth_throttle set failures = 0, updated_at = :now where key = :key and failures > 0")
                .param("key", key)
                .param("now", utc(clock.instant()))
                .update();
    }

    /** Admins clear a subject: its counters, lockout and history. Returns how many subjects were cleared. */
    int clear(List<String> keys) {
        return db.sql("delete from auth_throttle where key in (:keys)")
                .param("keys", keys)
                .update();
    }

    /** Rows idle for a day and not locked carry no information any more. */
    @Scheduled(fixedDelayString = "PT1H", initialDelayString = "PT5M")
    void purge() {
        Instant now = clock.instant();
        db.sql("delete from auth_throttle where updated_at < :idle and (locked_until is null or locked_until < :now)")
                .param("idle", utc(now.minus(Duration.ofDays(1))))
                .param("now", utc(now))
                .update();
    }

    private record Limit(int max, Duration window) {}

    private Limit limit(Kind kind) {
        return switch (kind) {
            case LOGIN_ACCOUNT -> new Limit(settings.loginPerAccount(), settings.window());
            case LOGIN_IP -> new Limit(settings.loginPerIp(), settings.window());
            case REGISTER_IP -> new Limit(settings.registerPerIp(), settings.window());
        };
    }

    static ApiException tooManyAttempts(Duration retryAfter) {
        return new TooManyAttempts(Math.max(1, retryAfter.toSeconds() + (retryAfter.toNanosPart() > 0 ? 1 : 0)));
    }

    /** The same answer for every locked subject, known account or not; Retry-After says when to come back. */
    private static final class TooManyAttempts extends ApiException {
        private final long retryAfterSeconds;

        TooManyAttempts(long retryAfterSeconds) {
            super(
                    HttpStatus.TOO_MANY_REQUESTS,
                    "too_many_attempts",
                    "Too many attempts",
                    "Too many attempts. Try again later.");
            this.retryAfterSeconds = retryAfterSeconds;
        }

        @Override
        public Map<String, String> headers() {
            return Map.of(HttpHeaders.RETRY_AFTER, String.valueOf(retryAfterSeconds));
        }
    }
}
