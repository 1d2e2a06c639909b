package dev.gatehouse.onboarding;

import static dev.gatehouse.platform.Timestamps.nullableInstant;
import static dev.gatehouse.platform.Timestamps.utc;

import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The users onboarding has stored something for ({@code onboarding_users}): their progress rows and snoozes hang
 * off this row and are deleted with it. The row is written on a user's first change, not on reads.
 */
@Repository
class OnboardingUsers {

    private final JdbcClient db;

    OnboardingUsers(JdbcClient db) {
        this.db = db;
    }

    /** Makes sure the user has a row (a no-op when they do). */
    void ensure(UUID userId, Instant now) {
        db.sql("insert into onboarding_users (user_id, created_at) values (:user, :now) on conflict do nothing")
                .param("user", userId)
                .param("now", utc(now))
                .update();
    }

    /** The end of the user's snooze, if it is still running at {@code now}. */
    Optional<Instant> snoozedUntil(UUID userId, Instant now) {
        return db.sql("select snoozed_until from onboarding_users where user_id = :user and snoozed_until > :now")
                .param("user", userId)
                .param("now", utc(now))
                .query((rs, row) -> nullableInstant(rs, "snoozed_until"))
                .optional();
    }

    /** Locks the user's row (which must exist) until the transaction ends: snoozes are counted under it. */
    void lock(UUID userId) {
        db.sql("select 1 from onboarding_users where user_id = :user for update")
                .param("user", userId)
                .query(Integer.class)
                .single();
    }

    void snooze(UUID userId, @Nullable Instant until) {
        db.sql("update onboarding_users set snoozed_until = :until where user_id = :user")
                .param("until", utc(until))
                .param("user", userId)
                .update();
    }
}
