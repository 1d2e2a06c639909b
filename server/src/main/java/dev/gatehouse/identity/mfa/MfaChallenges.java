package dev.gatehouse.identity.mfa;

import static dev.gatehouse.platform.Timestamps.instant;
import static dev.gatehouse.platform.Timestamps.nullableInstant;
import static dev.gatehouse.platform.Timestamps.utc;

import dev.gatehouse.platform.OpaqueTokens;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The {@code mfa_token}s of password logins waiting for their second factor. A token is 256 random
 * bits (only its SHA-256 is stored), single-use, short-lived, allows a bounded number of wrong codes,
 * and is bound to the password hash that was checked: if the password changes before the second
 * factor arrives, the token is worthless.
 */
@Repository
public class MfaChallenges {

    public static final String PREFIX = "ghm_";
    private static final OpaqueTokens TOKENS = OpaqueTokens.prefixed(PREFIX);
    private static final String PASSWORD_BINDING = "gatehouse/mfa-password-binding/";

    public record Challenge(
            byte[] tokenHash,
            UUID userId,
            byte[] passwordDigest,
            Instant expiresAt,
            int failedAttempts,
            @Nullable Instant spentAt) {}

    private final JdbcClient db;

    MfaChallenges(JdbcClient db) {
        this.db = db;
    }

    /** A digest of the stored password hash: enough to notice it changed, without a second copy of it. */
    static byte[] passwordDigest(String passwordHash) {
        return OpaqueTokens.sha256(PASSWORD_BINDING + passwordHash);
    }

    public String issue(UUID userId, String checkedPasswordHash, Instant now, Duration ttl) {
        String token = TOKENS.generate();
        db.sql("""
                insert into mfa_challenges (token_hash, user_id, password_digest, created_at, expires_at)
                values (:hash, :user, :digest, :now, :expires)
                """)
                .param("hash", OpaqueTokens.sha256(token))
                .param("user", userId)
                .param("digest", passwordDigest(checkedPasswordHash))
                .param("now", utc(now))
                .param("expires", utc(now.plus(ttl)))
                .update();
        return token;
    }

    /** Locks the challenge: attempts with one token are decided one after another. */
    @Nullable
    public Challenge lock(String token) {
        return db.sql("""
                select token_hash, user_id, password_digest, expires_at, failed_attempts, spent_at
                from mfa_challenges where token_hash = :hash for update
                """)
                .param("hash", OpaqueTokens.sha256(token))
                .query((rs, n) -> new Challenge(
                        rs.getBytes("token_hash"),
                        rs.getObject("user_id", UUID.class),
                        rs.getBytes("password_digest"),
                        instant(rs, "expires_at"),
                        rs.getInt("failed_attempts"),
                        nullableInstant(rs, "spent_at")))
                .optional()
                .orElse(null);
    }

    /** Counts a wrong code; spends the token when that was the last allowed one. Returns the count. */
    public int fail(Challenge challenge, int maxAttempts, Instant now) {
        int attempts = challenge.failedAttempts() + 1;
        db.sql("""
                update mfa_challenges set failed_attempts = :attempts,
                       spent_at = case when :attempts >= :max then cast(:now as timestamptz) else spent_at end
                where token_hash = :hash
                """)
                .param("attempts", attempts)
                .param("max", maxAttempts)
                .param("now", utc(now))
                .param("hash", challenge.tokenHash())
                .update();
        return attempts;
    }

    public void spend(Challenge challenge, Instant now) {
        db.sql("update mfa_challenges set spent_at = :now where token_hash = :hash and spent_at is null")
                .param("now", utc(now))
                .param("hash", challenge.tokenHash())
                .update();
    }

    /** Spends every open token of a user (two-factor sign-in was turned off or re-enrolled). */
    public void spendAll(UUID userId, Instant now) {
        db.sql("update mfa_challenges set spent_at = :now where user_id = :user and spent_at is null")
                .param("now", utc(now))
                .param("user", userId)
                .update();
    }

    int purgeExpired(Instant before, int batch) {
        return db.sql("""
                delete from mfa_challenges where token_hash in (
                    select token_hash from mfa_challenges where expires_at < :before limit :batch)
                """).param("before", utc(before)).param("batch", batch).update();
    }

    public static boolean sameDigest(byte[] a, String passwordHash) {
        return OpaqueTokens.matchesHash(PASSWORD_BINDING + passwordHash, a);
    }
}
