package dev.gatehouse.billing;

import static dev.gatehouse.platform.Timestamps.instant;
import static dev.gatehouse.platform.Timestamps.utc;

import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The {@code stripe_events} table: every verified Stripe event, once, raw. */
@Repository
class StripeEvents {

    enum State {
        RECEIVED,
        PROCESSED,
        IGNORED,
        DEAD;

        String wire() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    record StoredEvent(String id, String type, Instant created, String payload, State state) {}

    private final JdbcClient db;

    StripeEvents(JdbcClient db) {
        this.db = db;
    }

    /**
     * Stores the event unless its id is stored already; true when this call stored it. A concurrent insert of the
     * same id waits for the other transaction and then finds its row (the primary key decides).
     */
    boolean insert(String id, String type, Instant created, String payload, Instant now) {
        return db.sql("""
                        insert into stripe_events (id, type, created, payload, received_at, state)
                        values (:id, :type, :created, :payload, :now, 'received')
                        on conflict (id) do nothing
                        """)
                        .param("id", id)
                        .param("type", type)
                        .param("created", utc(created))
                        .param("payload", payload)
                        .param("now", utc(now))
                        .update()
                == 1;
    }

    Optional<StoredEvent> find(String id) {
        return db.sql("select id, type, created, payload, state from stripe_events where id = :id")
                .param("id", id)
                .query((rs, n) -> new StoredEvent(
                        rs.getString("id"),
                        rs.getString("type"),
                        instant(rs, "created"),
                        rs.getString("payload"),
                        State.valueOf(rs.getString("state").toUpperCase(java.util.Locale.ROOT))))
                .optional();
    }

    void setJob(String id, UUID jobId) {
        db.sql("update stripe_events set job_id = :job where id = :id")
                .param("job", jobId)
                .param("id", id)
                .update();
    }

    void mark(String id, State state, Instant now) {
        boolean done = state == State.PROCESSED || state == State.IGNORED;
        db.sql("update stripe_events set state = :state, processed_at = :at where id = :id")
                .param("state", state.wire())
                .param("at", done ? utc(now) : null)
                .param("id", id)
                .update();
    }
}
