package dev.gatehouse.identity;

import static dev.gatehouse.platform.Timestamps.utc;

import dev.gatehouse.platform.OpaqueTokens;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Single-use emailed tokens (verification, password reset, email change); only their hashes are stored. */
@Repository
class OneTimeTokens {

    /** Unprefixed, the form the emailed links have always carried. */
    private static final OpaqueTokens TOKENS = OpaqueTokens.prefixed("");

    enum Purpose {
        VERIFY_EMAIL("verify_email"),
        PASSWORD_RESET("password_reset"),
        CHANGE_EMAIL("change_email");

        final String column;

        Purpose(String column) {
            this.column = column;
        }
    }

    private final JdbcClient db;

    OneTimeTokens(JdbcClient db) {
        this.db = db;
    }

    /** Issues a new token and retires the user's earlier unused ones for the same purpose. */
    String issue(UUID userId, Purpose purpose, Instant now, Duration ttl) {
        db.sql(
                        "update one_time_tokens set used_at = :now where user_id = :user and purpose = :purpose and used_at is null")
                .param("now", utc(now))
                .param("user", userId)
                .param("purpose", purpose.column)
                .update();
        String token = TOKENS.generate();
        db.sql("""
                insert into one_time_tokens (token_hash, purpose, user_id, created_at, expires_at)
                values (:hash, :purpose, :user, :now, :expires)
                """)
                .param("hash", OpaqueTokens.sha256(token))
                .param("purpose", purpose.column)
                .param("user", userId)
                .param("now", utc(now))
                .param("expires", utc(now.plus(ttl)))
                .update();
        return token;
    }

    /** The user and the address an email change link is for. */
    record EmailChange(UUID userId, String newEmail) {}

    /** Issues an email change link for a new address, retiring the user's earlier unused ones. */
    String issueEmailChange(UUID userId, String newEmail, Instant now, Duration ttl) {
        retire(userId, Purpose.CHANGE_EMAIL, now);
        String token = TOKENS.generate();
        db.sql("""
                insert into one_time_tokens (token_hash, purpose, user_id, created_at, expires_at, new_email)
                values (:hash, :purpose, :user, :now, :expires, :email)
                """)
                .param("hash", OpaqueTokens.sha256(token))
                .param("purpose", Purpose.CHANGE_EMAIL.column)
                .param("user", userId)
                .param("now", utc(now))
                .param("expires", utc(now.plus(ttl)))
                .param("email", newEmail)
                .update();
        return token;
    }

    /** Uses an email change link if it is valid; atomic like {@link #consume}. */
    Optional<EmailChange> consumeEmailChange(String token, Instant now) {
        return db.sql("""
                update one_time_tokens set used_at = :now
                where token_hash = :hash and purpose = :purpose and used_at is null and expires_at > :now
                returning user_id, new_email
                """)
                .param("hash", OpaqueTokens.sha256(token))
                .param("purpose", Purpose.CHANGE_EMAIL.column)
                .param("now", utc(now))
                .query((rs, n) -> new EmailChange(rs.getObject("user_id", UUID.class), rs.getString("new_email")))
                .optional();
    }

    /** Retires the user's unused tokens of one purpose (e.g. reset links sent to an address no longer theirs). */
    void retire(UUID userId, Purpose purpose, Instant now) {
        db.sql(
                        "update one_time_tokens set used_at = :now where user_id = :user and purpose = :purpose and used_at is null")
                .param("now", utc(now))
                .param("user", userId)
                .param("purpose", purpose.column)
                .update();
    }

    /** Uses the token if it is valid: one atomic update, so two concurrent uses cannot both succeed. */
    Optional<UUID> consume(String token, Purpose purpose, Instant now) {
        return db.sql("""
                update one_time_tokens set used_at = :now
                where token_hash = :hash and purpose = :purpose and used_at is null and expires_at > :now
                returning user_id
                """)
                .param("hash", OpaqueTokens.sha256(token))
                .param("purpose", purpose.column)
                .param("now", utc(now))
                .query(UUID.class)
                .optional();
    }

    /** The owner of a valid token, without using it. */
    Optional<UUID> peek(String token, Purpose purpose, Instant now) {
        return db.sql("""
                select user_id from one_time_tokens
                where token_hash = :hash and purpose = :purpose and used_at is null and expires_at > :now
                """)
                .param("hash", OpaqueTokens.sha256(token))
                .param("purpose", purpose.column)
                .param("now", utc(now))
                .query(UUID.class)
                .optional();
    }
}
