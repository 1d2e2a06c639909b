package dev.gatehouse.identity.mfa;

import static dev.gatehouse.platform.Timestamps.utc;

import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Users' TOTP factors: the sealed confirmed and pending secrets, and the last time step accepted. */
@Repository
public class TotpFactors {

    public record Factor(
            UUID userId, byte @Nullable [] secretSealed, byte @Nullable [] pendingSealed, long lastUsedStep) {}

    private final JdbcClient db;

    TotpFactors(JdbcClient db) {
        this.db = db;
    }

    public Optional<Factor> find(UUID userId) {
        return db.sql(
                        "select user_id, secret_sealed, pending_sealed, last_used_step from totp_factors where user_id = :user")
                .param("user", userId)
                .query((rs, n) -> new Factor(
                        rs.getObject("user_id", UUID.class),
                        rs.getBytes("secret_sealed"),
                        rs.getBytes("pending_sealed"),
                        rs.getLong("last_used_step")))
                .optional();
    }

    /** Keeps a new secret waiting for confirmation; a confirmed secret, if any, keeps working meanwhile. */
    public void startEnrollment(UUID userId, byte[] pendingSealed, Instant now) {
        db.sql("""
                insert into totp_factors (user_id, pending_sealed, pending_at, updated_at)
                values (:user, :pending, :now, :now)
                on conflict (user_id) do update set pending_sealed = excluded.pending_sealed,
                       pending_at = excluded.pending_at, updated_at = excluded.updated_at
                """)
                .param("user", userId)
                .param("pending", pendingSealed)
                .param("now", utc(now))
                .update();
    }

    /**
     * Makes the pending secret the confirmed one, if it is still the one that was checked (a concurrent
     * start may have replaced it); the step of the confirming code counts as used.
     */
    public boolean confirm(UUID userId, byte[] checkedPending, long step, Instant now) {
        return db.sql("""
                        update totp_factors set secret_sealed = pending_sealed, pending_sealed = null, pending_at = null,
                               last_used_step = :step, updated_at = :now
                        where user_id = :user and pending_sealed = :checked
                        """)
                        .param("user", userId)
                        .param("checked", checkedPending)
                        .param("step", step)
                        .param("now", utc(now))
                        .update()
                > 0;
    }

    /**
     * Records {@code step} as used if it is after the last used one. One conditional update: of two
     * requests with the same code, the second waits for the first's row lock, then re-reads the row
     * (PostgreSQL re-checks the condition on the updated row) and changes nothing. So a code works once.
     */
    public boolean advance(UUID userId, long step, Instant now) {
        return db.sql("""
                        update totp_factors set last_used_step = :step, updated_at = :now
                        where user_id = :user and secret_sealed is not null and last_used_step < :step
                        """)
                        .param("user", userId)
                        .param("step", step)
                        .param("now", utc(now))
                        .update()
                > 0;
    }

    public void delete(UUID userId) {
        db.sql("delete from totp_factors where user_id = :user")
                .param("user", userId)
                .update();
    }
}
