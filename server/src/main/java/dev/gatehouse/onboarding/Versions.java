package dev.gatehouse.onboarding;

import static dev.gatehouse.platform.Timestamps.instant;
import static dev.gatehouse.platform.Timestamps.nullableInstant;
import static dev.gatehouse.platform.Timestamps.utc;

import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Checklist versions and their steps ({@code onboarding_versions}, {@code onboarding_steps}). */
@Repository
class Versions {

    /** A version without its steps. */
    record Version(
            int number,
            VersionState state,
            @Nullable String description,
            @Nullable UUID createdBy,
            Instant createdAt,
            @Nullable Instant activatedAt,
            @Nullable Instant retiredAt) {}

    private final JdbcClient db;

    Versions(JdbcClient db) {
        this.db = db;
    }

    /** The active version's number; there is always one (the migration seeds it, migrations replace it). */
    int active() {
        return db.sql("select version from onboarding_versions where state = :active")
                .param("active", VersionState.ACTIVE.wire())
                .query(Integer.class)
                .single();
    }

    Optional<Version> find(int number) {
        return db.sql("select * from onboarding_versions where version = :version")
                .param("version", number)
                .query(Versions::version)
                .optional();
    }

    /** Newest first, the versions numbered below {@code before} (all when null). */
    List<Version> page(@Nullable Integer before, int limit) {
        return db.sql("""
                        select * from onboarding_versions
                        where (cast(:before as integer) is null or version < :before)
                        order by version desc limit :limit
                        """)
                .param("before", before)
                .param("limit", limit)
                .query(Versions::version)
                .list();
    }

    List<Step> steps(int version) {
        return steps(List.of(version)).getOrDefault(version, List.of());
    }

    /** The steps of each version, in order; a version without steps is absent. */
    Map<Integer, List<Step>> steps(Collection<Integer> versions) {
        if (versions.isEmpty()) return Map.of();
        Map<Integer, List<Step>> byVersion = new LinkedHashMap<>();
        db.sql("select * from onboarding_steps where version in (:versions) order by version, position")
                .param("versions", versions)
                .query((rs, row) -> {
                    byVersion
                            .computeIfAbsent(rs.getInt("version"), v -> new java.util.ArrayList<>())
                            .add(step(rs));
                    return null;
                })
                .list();
        return byVersion;
    }

    /** A new draft; its number comes from the table's identity column, so no number is ever used twice. */
    int insertDraft(@Nullable String description, UUID createdBy, Instant now, List<Step> steps) {
        int number = db.sql("""
                        insert into onboarding_versions (state, description, created_by, created_at)
                        values (:draft, :description, :by, :now) returning version
                        """)
                .param("draft", VersionState.DRAFT.wire())
                .param("description", description)
                .param("by", createdBy)
                .param("now", utc(now))
                .query(Integer.class)
                .single();
        for (int position = 0; position < steps.size(); position++) {
            Step s = steps.get(position);
            db.sql("""
                    insert into onboarding_steps
                        (version, key, position, title, description, weight, required, markets, roles, gates)
                    values (:version, :key, :position, :title, :description, :weight, :required, :markets, :roles, :gates)
                    """)
                    .param("version", number)
                    .param("key", s.key())
                    .param("position", position)
                    .param("title", s.title())
                    .param("description", s.description())
                    .param("weight", s.weight())
                    .param("required", s.required())
                    .param("markets", s.markets().toArray(String[]::new))
                    .param("roles", s.roles().toArray(String[]::new))
                    .param("gates", s.gates().toArray(String[]::new))
                    .update();
        }
        return number;
    }

    /** Deletes a version and its steps; the caller checked that it is a draft. */
    void delete(int number) {
        db.sql("delete from onboarding_versions where version = :version")
                .param("version", number)
                .update();
    }

    void retire(int number, Instant now) {
        db.sql("update onboarding_versions set state = :retired, retired_at = :now where version = :version")
                .param("retired", VersionState.RETIRED.wire())
                .param("now", utc(now))
                .param("version", number)
                .update();
    }

    void activate(int number, Instant now) {
        db.sql("update onboarding_versions set state = :active, activated_at = :now where version = :version")
                .param("active", VersionState.ACTIVE.wire())
                .param("now", utc(now))
                .param("version", number)
                .update();
    }

    private static Version version(ResultSet rs, int row) throws SQLException {
        return new Version(
                rs.getInt("version"),
                VersionState.of(rs.getString("state")),
                rs.getString("description"),
                rs.getObject("created_by", UUID.class),
                instant(rs, "created_at"),
                nullableInstant(rs, "activated_at"),
                nullableInstant(rs, "retired_at"));
    }

    private static Step step(ResultSet rs) throws SQLException {
        return new Step(
                rs.getString("key"),
                rs.getString("title"),
                rs.getString("description"),
                rs.getInt("weight"),
                rs.getBoolean("required"),
                strings(rs, "markets"),
                strings(rs, "roles"),
                strings(rs, "gates"));
    }

    private static List<String> strings(ResultSet rs, String column) throws SQLException {
        Array array = rs.getArray(column);
        try {
            return List.of((String[]) array.getArray());
        } finally {
            array.free();
        }
    }
}
