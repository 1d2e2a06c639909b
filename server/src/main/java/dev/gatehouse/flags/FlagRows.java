package dev.gatehouse.flags;

import static dev.gatehouse.platform.Timestamps.instant;
import static dev.gatehouse.platform.Timestamps.utc;

import dev.gatehouse.client.flags.Flag;
import dev.gatehouse.client.flags.Segment;
import dev.gatehouse.client.flags.SnapshotJson;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The flags module's tables: flags, flag_versions, flag_segments, kill_switches. */
@Repository
class FlagRows {

    private final JdbcClient db;

    FlagRows(JdbcClient db) {
        this.db = db;
    }

    /** A stored flag with its version and bookkeeping. */
    record StoredFlag(
            Flag flag,
            long version,
            Instant createdAt,
            @Nullable UUID createdBy,
            Instant updatedAt,
            @Nullable UUID updatedBy) {}

    record StoredSegment(
            Segment segment,
            long version,
            Instant updatedAt,
            @Nullable UUID updatedBy) {}

    record KillSwitch(
            String name,
            boolean active,
            Instant changedAt,
            @Nullable UUID changedBy) {}

    record FlagVersion(
            long version,
            FlagChange change,
            Flag flag,
            Instant changedAt,
            @Nullable UUID changedBy) {}

    List<StoredFlag> flags() {
        return db.sql("select * from flags order by key").query(FlagRows::flag).list();
    }

    Optional<StoredFlag> flag(String key, boolean lock) {
        return db.sql("select * from flags where key = :key" + (lock ? " for update" : ""))
                .param("key", key)
                .query(FlagRows::flag)
                .optional();
    }

    /** Whether a flag with this key exists or ever existed (its history keeps the key's version numbers). */
    long lastVersion(String key) {
        return db.sql("select coalesce(max(version), 0) from flag_versions where key = :key")
                .param("key", key)
                .query(Long.class)
                .single();
    }

    void insert(Flag flag, long version, UUID by, Instant now) {
        db.sql("""
                insert into flags (key, kind, enabled, definition, version, created_at, created_by, updated_at,
                                   updated_by)
                values (:key, :kind, :enabled, cast(:definition as jsonb), :version, :now, :by, :now, :by)
                """)
                .param("key", flag.key())
                .param("kind", flag.kind().wire())
                .param("enabled", flag.enabled())
                .param("definition", json(flag))
                .param("version", version)
                .param("now", utc(now))
                .param("by", by)
                .update();
    }

    void update(Flag flag, long version, UUID by, Instant now) {
        db.sql("""
                update flags set kind = :kind, enabled = :enabled, definition = cast(:definition as jsonb),
                                 version = :version, updated_at = :now, updated_by = :by
                where key = :key
                """)
                .param("key", flag.key())
                .param("kind", flag.kind().wire())
                .param("enabled", flag.enabled())
                .param("definition", json(flag))
                .param("version", version)
                .param("now", utc(now))
                .param("by", by)
                .update();
    }

    void delete(String key) {
        db.sql("delete from flags where key = :key").param("key", key).update();
    }

    void recordVersion(Flag flag, long version, FlagChange change, UUID by, Instant now) {
        db.sql("""
                insert into flag_versions (key, version, change, definition, changed_at, changed_by)
                values (:key, :version, :change, cast(:definition as jsonb), :now, :by)
                """)
                .param("key", flag.key())
                .param("version", version)
                .param("change", change.wire())
                .param("definition", json(flag))
                .param("now", utc(now))
                .param("by", by)
                .update();
    }

    /** Versions newest first, those below {@code before} when given. */
    List<FlagVersion> versions(String key, @Nullable Long before, int limit) {
        return db.sql("select * from flag_versions where key = :key"
                        + (before == null ? "" : " and version < :before")
                        + " order by version desc limit :limit")
                .param("key", key)
                .param("before", before)
                .param("limit", limit)
                .query((rs, n) -> new FlagVersion(
                        rs.getLong("version"),
                        FlagChange.of(rs.getString("change")),
                        SnapshotJson.flag(SnapshotJson.tree(rs.getString("definition"))),
                        instant(rs, "changed_at"),
                        rs.getObject("changed_by", UUID.class)))
                .list();
    }

    /** Keys of the flags that depend on {@code key}. */
    List<String> dependents(String key) {
        return db.sql("""
                select key from flags
                where exists (select 1 from jsonb_array_elements(coalesce(definition -> 'dependencies', '[]'::jsonb))
                              as d where d ->> 'flag' = :key)
                order by key
                """).param("key", key).query(String.class).list();
    }

    /** Keys of the flags with a strategy that uses segment {@code name}. */
    List<String> segmentUsers(String name) {
        return db.sql("""
                select key from flags
                where exists (select 1 from jsonb_array_elements(coalesce(definition -> 'strategies', '[]'::jsonb)) as s
                              where coalesce(s -> 'segments', '[]'::jsonb) @> jsonb_build_array(cast(:name as text)))
                order by key
                """).param("name", name).query(String.class).list();
    }

    List<StoredSegment> segments() {
        return db.sql("select * from flag_segments order by name")
                .query(FlagRows::segment)
                .list();
    }

    Optional<StoredSegment> segment(String name, boolean lock) {
        return db.sql("select * from flag_segments where name = :name" + (lock ? " for update" : ""))
                .param("name", name)
                .query(FlagRows::segment)
                .optional();
    }

    void saveSegment(Segment segment, long version, UUID by, Instant now) {
        db.sql("""
                insert into flag_segments (name, definition, version, updated_at, updated_by)
                values (:name, cast(:definition as jsonb), :version, :now, :by)
                on conflict (name) do update set definition = excluded.definition, version = excluded.version,
                                                 updated_at = excluded.updated_at, updated_by = excluded.updated_by
                """)
                .param("name", segment.name())
                .param("definition", SnapshotJson.text(SnapshotJson.toJson(segment)))
                .param("version", version)
                .param("now", utc(now))
                .param("by", by)
                .update();
    }

    void deleteSegment(String name) {
        db.sql("delete from flag_segments where name = :name")
                .param("name", name)
                .update();
    }

    List<KillSwitch> killSwitches() {
        return db.sql("select * from kill_switches order by name")
                .query(FlagRows::killSwitch)
                .list();
    }

    Optional<KillSwitch> killSwitch(String name, boolean lock) {
        return db.sql("select * from kill_switches where name = :name" + (lock ? " for update" : ""))
                .param("name", name)
                .query(FlagRows::killSwitch)
                .optional();
    }

    void saveKillSwitch(String name, boolean active, UUID by, Instant now) {
        db.sql("""
                insert into kill_switches (name, active, changed_at, changed_by) values (:name, :active, :now, :by)
                on conflict (name) do update set active = excluded.active, changed_at = excluded.changed_at,
                                                 changed_by = excluded.changed_by
                """)
                .param("name", name)
                .param("active", active)
                .param("now", utc(now))
                .param("by", by)
                .update();
    }

    private static String json(Flag flag) {
        return SnapshotJson.text(SnapshotJson.toJson(flag));
    }

    private static StoredFlag flag(ResultSet rs, int n) throws SQLException {
        return new StoredFlag(
                SnapshotJson.flag(SnapshotJson.tree(rs.getString("definition"))),
                rs.getLong("version"),
                instant(rs, "created_at"),
                rs.getObject("created_by", UUID.class),
                instant(rs, "updated_at"),
                rs.getObject("updated_by", UUID.class));
    }

    private static StoredSegment segment(ResultSet rs, int n) throws SQLException {
        return new StoredSegment(
                SnapshotJson.segment(SnapshotJson.tree(rs.getString("definition"))),
                rs.getLong("version"),
                instant(rs, "updated_at"),
                rs.getObject("updated_by", UUID.class));
    }

    private static KillSwitch killSwitch(ResultSet rs, int n) throws SQLException {
        return new KillSwitch(
                rs.getString("name"),
                rs.getBoolean("active"),
                instant(rs, "changed_at"),
                rs.getObject("changed_by", UUID.class));
    }
}
