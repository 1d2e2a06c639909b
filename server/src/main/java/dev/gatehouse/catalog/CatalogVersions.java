package dev.gatehouse.catalog;

import static dev.gatehouse.platform.Timestamps.instant;
import static dev.gatehouse.platform.Timestamps.utc;

import dev.gatehouse.platform.Keyset;
import dev.gatehouse.platform.Page;
import dev.gatehouse.platform.PageCursor;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The stored catalog versions ({@code catalog_versions}): appended, never changed. */
@Repository
class CatalogVersions {

    /** Why a version was stored; the {@code catalog_versions_cause_check} constraint holds the same list. */
    enum Cause {
        STARTUP,
        RELOAD;

        String wire() {
            return name().toLowerCase(Locale.ROOT);
        }

        static Cause of(String wire) {
            return valueOf(wire.toUpperCase(Locale.ROOT));
        }
    }

    /** One stored version, with its text. */
    record Stored(
            UUID id,
            int version,
            String hash,
            String source,
            String file,
            Cause cause,
            Instant loadedAt,
            @Nullable UUID loadedBy) {}

    private static final String COLUMNS = "id, version, hash, source, file, cause, loaded_at, loaded_by";

    private static final Keyset<Stored> NEWEST_FIRST =
            Keyset.newestFirst("loaded_at", "id", CatalogVersions::map, s -> new PageCursor(s.loadedAt(), s.id()));

    private final JdbcClient db;

    CatalogVersions(JdbcClient db) {
        this.db = db;
    }

    /**
     * Makes concurrent loads (several nodes starting, a reload on each) take turns until the caller's
     * transaction ends, so each compares with the latest version and numbers stay consecutive.
     */
    void lockForLoad() {
        db.sql("lock table catalog_versions in share row exclusive mode").update();
    }

    Optional<Stored> latest() {
        return db.sql("select " + COLUMNS + " from catalog_versions order by version desc limit 1")
                .query(CatalogVersions::map)
                .optional();
    }

    Optional<Stored> byVersion(int version) {
        return db.sql("select " + COLUMNS + " from catalog_versions where version = :version")
                .param("version", version)
                .query(CatalogVersions::map)
                .optional();
    }

    void insert(Stored s) {
        db.sql("""
                insert into catalog_versions (id, version, hash, source, file, cause, loaded_at, loaded_by)
                values (:id, :version, :hash, :source, :file, :cause, :loadedAt, :loadedBy)
                """)
                .param("id", s.id())
                .param("version", s.version())
                .param("hash", s.hash())
                .param("source", s.source())
                .param("file", s.file())
                .param("cause", s.cause().wire())
                .param("loadedAt", utc(s.loadedAt()))
                .param("loadedBy", s.loadedBy())
                .update();
    }

    Page<Stored> page(@Nullable PageCursor after, int limit) {
        return NEWEST_FIRST.fetch(
                after, limit, tail -> db.sql("select " + COLUMNS + " from catalog_versions where true" + tail));
    }

    private static Stored map(ResultSet rs, int n) throws SQLException {
        return new Stored(
                rs.getObject("id", UUID.class),
                rs.getInt("version"),
                rs.getString("hash"),
                rs.getString("source"),
                rs.getString("file"),
                Cause.of(rs.getString("cause")),
                instant(rs, "loaded_at"),
                rs.getObject("loaded_by", UUID.class));
    }
}
