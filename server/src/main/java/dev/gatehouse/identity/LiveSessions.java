package dev.gatehouse.identity;

import static dev.gatehouse.platform.Timestamps.instant;
import static dev.gatehouse.platform.Timestamps.utc;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.gatehouse.platform.Caller;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Which sessions are live, and their users, remembered for one second. Signed-in routes ask on every
 * request; without this each would cost a database round trip. This node forgets an entry at once
 * when it revokes the session or changes the user, so what it does itself is seen immediately; a
 * change made by another node is seen here within a second.
 */
@Component
class LiveSessions {

    static final Duration TTL = Duration.ofSeconds(1);

    private record Entry(User user, Instant sessionExpiresAt) {}

    private final Cache<UUID, Entry> bySession =
            Caffeine.newBuilder().maximumSize(100_000).expireAfterWrite(TTL).build();
    private final JdbcClient db;

    LiveSessions(JdbcClient db) {
        this.db = db;
    }

    /** The active user of a live, unexpired session of theirs; empty otherwise. */
    Optional<User> user(UUID userId, UUID sessionId, Instant now) {
        Entry entry = bySession.get(sessionId, sid -> load(userId, sid, now));
        if (entry == null
                || !entry.user().id().equals(userId)
                || !entry.sessionExpiresAt().isAfter(now)) {
            return Optional.empty();
        }
        return Optional.of(entry.user());
    }

    /** The caller's user, if the access token's session is still live and the account active; else 401 session_revoked. */
    User require(Caller caller, Instant now) {
        UUID sid = caller.sessionId();
        if (sid == null) throw IdentityFailures.sessionRevoked();
        return user(caller.userId(), sid, now).orElseThrow(IdentityFailures::sessionRevoked);
    }

    /** One query: the user, if the session is theirs, unrevoked and unexpired, and the account active. */
    private @Nullable Entry load(UUID userId, UUID sessionId, Instant now) {
        return db.sql("""
                select u.*, s.expires_at as session_expires_at from users u join sessions s on s.user_id = u.id
                where u.id = :id and s.id = :sid and s.revoked_at is null and s.expires_at > :now and u.status = :active
                """)
                .param("active", UserStatus.ACTIVE.wire())
                .param("id", userId)
                .param("sid", sessionId)
                .param("now", utc(now))
                .query((rs, n) -> new Entry(Users.map(rs, n), instant(rs, "session_expires_at")))
                .optional()
                .orElse(null);
    }

    void forgetSession(UUID sessionId) {
        forget(() -> bySession.invalidate(sessionId));
    }

    void forgetUser(UUID userId) {
        forget(() -> bySession.asMap().values().removeIf(e -> e.user().id().equals(userId)));
    }

    /** Forgets now and again after commit, so a read between the two cannot keep the old state. */
    private static void forget(Runnable invalidate) {
        invalidate.run();
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCommit() {
                    invalidate.run();
                }
            });
        }
    }
}
