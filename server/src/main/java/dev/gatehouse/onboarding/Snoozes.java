package dev.gatehouse.onboarding;

import static dev.gatehouse.platform.Timestamps.instant;
import static dev.gatehouse.platform.Timestamps.utc;

import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The snoozes of the last day ({@code onboarding_snoozes}), for the daily limit. Older rows are deleted when a user
 * snoozes again, so a user never has more than the limit's worth of rows.
 */
@Repository
class Snoozes {

    private final JdbcClient db;

    Snoozes(JdbcClient db) {
        this.db = db;
    }

    /** When the user snoozed after {@code since}, oldest first. */
    List<Instant> since(UUID userId, Instant since) {
        return db.sql("""
                        select snoozed_at from onboarding_snoozes where user_id = :user and snoozed_at > :since
                        order by snoozed_at
                        """)
                .param("user", userId)
                .param("since", utc(since))
                .query((rs, row) -> instant(rs, "snoozed_at"))
                .list();
    }

    void insert(UUID userId, Instant at, Instant until) {
        db.sql("insert into onboarding_snoozes (user_id, snoozed_at, until) values (:user, :at, :until)")
                .param("user", userId)
                .param("at", utc(at))
                .param("until", utc(until))
                .update();
    }

    /** Deletes the user's snoozes from {@code before} or earlier: they no longer count toward the limit. */
    void forget(UUID userId, Instant before) {
        db.sql("delete from onboarding_snoozes where user_id = :user and snoozed_at <= :before")
                .param("user", userId)
                .param("before", utc(before))
                .update();
    }
}
