package dev.gatehouse.notification;

import static dev.gatehouse.platform.Timestamps.instant;
import static dev.gatehouse.platform.Timestamps.nullableInstant;
import static dev.gatehouse.platform.Timestamps.utc;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The {@code emails} outbox and its {@code captured_mail} view. */
@Repository
class Emails {

    private final JdbcClient db;

    Emails(JdbcClient db) {
        this.db = db;
    }

    void insert(StoredEmail e) {
        db.sql("""
                insert into emails (id, to_address, template, language, subject, text_body, html_body, status,
                                    attempts, job_id, created_at, updated_at)
                values (:id, :to, :template, :language, :subject, :text, :html, :status, 0, :job, :now, :now)
                """)
                .param("id", e.id())
                .param("to", e.to())
                .param("template", e.template())
                .param("language", e.language())
                .param("subject", e.subject())
                .param("text", e.text())
                .param("html", e.html())
                .param("status", e.status())
                .param("job", e.jobId())
                .param("now", utc(e.createdAt()))
                .update();
    }

    Optional<StoredEmail> find(UUID id) {
        return db.sql("select * from emails where id = :id")
                .param("id", id)
                .query(Emails::map)
                .optional();
    }

    void attempted(UUID id, Instant now) {
        db.sql("update emails set attempts = attempts + 1, updated_at = :now where id = :id")
                .param("id", id)
                .param("now", utc(now))
                .update();
    }

    /**
     * Marks an email delivered. Mail that left over SMTP has its bodies blanked: they can hold one-time
     * links, which must not outlive delivery in the database. Captured mail keeps them, since reading
     * them is its purpose (the embedded developer default).
     */
    void sent(UUID id, String via, Instant now) {
        db.sql("""
                update emails set status = 'sent', delivered_via = :via, sent_at = :now, last_error = null,
                                  updated_at = :now,
                                  text_body = case when :via = 'smtp' then '' else text_body end,
                                  html_body = case when :via = 'smtp' then '' else html_body end
                where id = :id
                """).param("id", id).param("via", via).param("now", utc(now)).update();
    }

    void failed(UUID id, String error, Instant now) {
        db.sql("""
                update emails set status = 'failed', last_error = :error, updated_at = :now
                where id = :id and status <> 'sent'
                """).param("id", id).param("error", error).param("now", utc(now)).update();
    }

    void dead(UUID id, Instant now) {
        db.sql("update emails set status = 'dead', updated_at = :now where id = :id and status <> 'sent'")
                .param("id", id)
                .param("now", utc(now))
                .update();
    }

    /** Captured (not sent) mail, newest first, optionally for one recipient. */
    List<CapturedMail> captured(@Nullable String to, int limit) {
        String where = to == null ? "" : " where lower(to_address) = lower(:to)";
        var spec = db.sql("select id, to_address, subject, text_body, html_body, created_at from captured_mail" + where
                        + " order by created_at desc, id desc limit :limit")
                .param("limit", limit);
        if (to != null) spec = spec.param("to", to);
        return spec.query((rs, row) -> new CapturedMail(
                        rs.getObject("id", UUID.class),
                        rs.getString("to_address"),
                        rs.getString("subject"),
                        rs.getString("text_body"),
                        rs.getString("html_body"),
                        instant(rs, "created_at")))
                .list();
    }

    /** Deletes up to {@code batch} emails sent before {@code before}; returns how many. */
    int purgeSent(Instant before, int batch) {
        return db.sql("""
                delete from emails where id in (
                    select id from emails where status = 'sent' and sent_at < :before limit :batch)
                """).param("before", utc(before)).param("batch", batch).update();
    }

    private static StoredEmail map(ResultSet rs, int row) throws SQLException {
        return new StoredEmail(
                rs.getObject("id", UUID.class),
                rs.getString("to_address"),
                rs.getString("template"),
                rs.getString("language"),
                rs.getString("subject"),
                rs.getString("text_body"),
                rs.getString("html_body"),
                rs.getString("status"),
                rs.getInt("attempts"),
                rs.getString("last_error"),
                rs.getObject("job_id", UUID.class),
                rs.getString("delivered_via"),
                instant(rs, "created_at"),
                instant(rs, "updated_at"),
                nullableInstant(rs, "sent_at"));
    }
}
