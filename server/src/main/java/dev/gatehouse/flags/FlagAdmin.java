package dev.gatehouse.flags;

import dev.gatehouse.audit.AuditEntry;
import dev.gatehouse.audit.AuditLog;
import dev.gatehouse.client.flags.Dependency;
import dev.gatehouse.client.flags.Flag;
import dev.gatehouse.client.flags.Segment;
import dev.gatehouse.client.flags.Strategy;
import dev.gatehouse.client.flags.UnleashImport;
import dev.gatehouse.platform.Caller;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;

/**
 * Changes to flags, segments and kill switches: each in one transaction with its audit entry, a new version for
 * a flag (the whole definition kept in {@code flag_versions}), and a change-feed entry so every node reloads.
 *
 * <p><b>Optimistic locking.</b> An update names the version it was based on; the flag's row is locked and a
 * different current version refuses the update (409 with the current flag), so two admins cannot overwrite each
 * other's change unseen.
 */
@Service
class FlagAdmin {

    private final FlagRows rows;
    private final FlagCache cache;
    private final AuditLog audit;
    private final TransactionTemplate tx;
    private final Clock clock;

    FlagAdmin(FlagRows rows, FlagCache cache, AuditLog audit, TransactionTemplate tx, Clock clock) {
        this.rows = rows;
        this.cache = cache;
        this.audit = audit;
        this.tx = tx;
        this.clock = clock;
    }

    FlagRows.StoredFlag create(Caller caller, Flag flag) {
        checkWritable(flag);
        return write(() -> {
            checkReferences(flag, Set.of());
            if (rows.flag(flag.key(), /* lock= */ true).isPresent()) throw FlagFailures.flagExists(flag.key());
            Instant now = now();
            long version = rows.lastVersion(flag.key()) + 1;
            rows.insert(flag, version, caller.userId(), now);
            rows.recordVersion(flag, version, FlagChange.CREATED, caller.userId(), now);
            audit.record(entry(caller, "flag.created", flag, version));
            cache.changed(flag.key());
            return rows.flag(flag.key(), false).orElseThrow();
        });
    }

    /** Applies {@code change} to the current flag if it is still at {@code basedOn}. */
    FlagRows.StoredFlag update(Caller caller, String key, long basedOn, UnaryOperator<Flag> change) {
        return write(() -> {
            FlagRows.StoredFlag current = rows.flag(key, /* lock= */ true).orElseThrow(FlagFailures::flagNotFound);
            if (current.version() != basedOn) {
                throw FlagFailures.versionConflict(current.version(), FlagView.of(current, cache));
            }
            Flag changed = invalidAsProblem(() -> change.apply(current.flag()));
            checkWritable(changed);
            checkReferences(changed, Set.of());
            if (changed.equals(current.flag())) return current;
            Instant now = now();
            long version = current.version() + 1;
            rows.update(changed, version, caller.userId(), now);
            rows.recordVersion(changed, version, FlagChange.UPDATED, caller.userId(), now);
            audit.record(entry(caller, "flag.updated", changed, version).detail("previous_version", current.version()));
            cache.changed(key);
            return rows.flag(key, false).orElseThrow();
        });
    }

    void delete(Caller caller, String key) {
        write(() -> {
            FlagRows.StoredFlag current = rows.flag(key, /* lock= */ true).orElseThrow(FlagFailures::flagNotFound);
            Instant now = now();
            long version = current.version() + 1;
            rows.delete(key);
            rows.recordVersion(current.flag(), version, FlagChange.DELETED, caller.userId(), now);
            audit.record(
                    entry(caller, "flag.deleted", current.flag(), version).detail("dependents", rows.dependents(key)));
            cache.changed(key);
            return key;
        });
    }

    /** What an import did. */
    record Imported(List<String> flags, List<String> segments, List<String> warnings) {}

    /**
     * Imports an Unleash feature state: its segments and flags are created or replaced (each replaced flag gets a
     * new version); flags and segments not in the document are left alone. All or nothing.
     */
    Imported importUnleash(Caller caller, JsonNode document) {
        UnleashImport.Result result;
        try {
            result = UnleashImport.convert(document);
        } catch (IllegalArgumentException e) {
            throw FlagFailures.invalidUnleashDocument(e.getMessage());
        }
        for (Flag f : result.flags()) {
            if (f.key().equals(FlagCache.GLOBAL)) throw FlagFailures.reservedKey();
        }
        return write(() -> {
            Instant now = now();
            List<String> segments = new ArrayList<>();
            for (Segment s : result.segments()) {
                long version =
                        rows.segment(s.name(), true).map(x -> x.version() + 1).orElse(1L);
                rows.saveSegment(s, version, caller.userId(), now);
                audit.record(AuditEntry.by(caller, "flag_segment.imported")
                        .target("flag_segment", s.name())
                        .detail("version", version));
                segments.add(s.name());
            }
            List<String> flags = new ArrayList<>();
            for (Flag f : result.flags()) {
                var existing = rows.flag(f.key(), /* lock= */ true);
                long version;
                if (existing.isPresent()) {
                    version = existing.get().version() + 1;
                    rows.update(f, version, caller.userId(), now);
                } else {
                    version = rows.lastVersion(f.key()) + 1;
                    rows.insert(f, version, caller.userId(), now);
                }
                rows.recordVersion(f, version, FlagChange.IMPORTED, caller.userId(), now);
                audit.record(entry(caller, "flag.imported", f, version));
                flags.add(f.key());
            }
            audit.record(AuditEntry.by(caller, "flags.imported")
                    .detail("flags", flags.size())
                    .detail("segments", segments.size())
                    .detail("warnings", result.warnings().stream().limit(50).toList()));
            cache.changed("*");
            return new Imported(flags, segments, result.warnings());
        });
    }

    FlagRows.StoredSegment saveSegment(Caller caller, Segment segment) {
        invalidAsProblem(() -> {
            segment.constraints().forEach(c -> c.validate());
            return segment;
        });
        return write(() -> {
            long version =
                    rows.segment(segment.name(), true).map(x -> x.version() + 1).orElse(1L);
            rows.saveSegment(segment, version, caller.userId(), now());
            audit.record(AuditEntry.by(caller, "flag_segment.saved")
                    .target("flag_segment", segment.name())
                    .detail("version", version)
                    .detail("constraints", segment.constraints().size()));
            cache.changed("segment:" + segment.name());
            return rows.segment(segment.name(), false).orElseThrow();
        });
    }

    void deleteSegment(Caller caller, String name) {
        write(() -> {
            rows.segment(name, true).orElseThrow(FlagFailures::segmentNotFound);
            List<String> users = rows.segmentUsers(name);
            if (!users.isEmpty()) throw FlagFailures.segmentInUse(name, users);
            rows.deleteSegment(name);
            audit.record(AuditEntry.by(caller, "flag_segment.deleted").target("flag_segment", name));
            cache.changed("segment:" + name);
            return name;
        });
    }

    /** Turns a kill switch on or off; setting it to what it is changes nothing and records nothing. */
    FlagRows.KillSwitch setKillSwitch(Caller caller, String name, boolean active) {
        return write(() -> {
            var current = rows.killSwitch(name, /* lock= */ true);
            if (current.isPresent() && current.get().active() == active) return current.get();
            rows.saveKillSwitch(name, active, caller.userId(), now());
            audit.record(AuditEntry.by(caller, active ? "kill_switch.activated" : "kill_switch.deactivated")
                    .target("kill_switch", name)
                    .detail("global", name.equals(FlagCache.GLOBAL)));
            cache.changed("kill:" + name);
            return rows.killSwitch(name, false).orElseThrow();
        });
    }

    private void checkWritable(Flag flag) {
        if (flag.key().equals(FlagCache.GLOBAL)) throw FlagFailures.reservedKey();
        invalidAsProblem(flag::validate);
    }

    /** Segments a strategy names and flags a dependency names must exist (or be created with it). */
    private void checkReferences(Flag flag, Set<String> alsoSegments) {
        Set<String> segments = new HashSet<>(alsoSegments);
        rows.segments().forEach(s -> segments.add(s.segment().name()));
        for (Strategy s : flag.strategies()) {
            for (String name : s.segments()) if (!segments.contains(name)) throw FlagFailures.unknownSegment(name);
        }
        for (Dependency d : flag.dependencies()) {
            if (rows.flag(d.flag(), false).isEmpty()) throw FlagFailures.unknownDependency(d.flag());
        }
    }

    private static <T> T invalidAsProblem(Supplier<T> work) {
        try {
            return work.get();
        } catch (IllegalArgumentException e) {
            throw FlagFailures.invalidFlag(e.getMessage());
        }
    }

    private static AuditEntry entry(Caller caller, String action, Flag flag, long version) {
        return AuditEntry.by(caller, action)
                .target("flag", flag.key())
                .detail("version", version)
                .detail("kind", flag.kind().wire())
                .detail("enabled", flag.enabled())
                .detail("strategies", flag.strategies().size());
    }

    private <T> T write(Supplier<T> work) {
        T result = tx.execute(status -> work.get());
        if (result == null) throw new IllegalStateException("the transaction returned nothing");
        return result;
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }
}
