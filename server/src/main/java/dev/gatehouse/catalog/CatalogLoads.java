package dev.gatehouse.catalog;

import dev.gatehouse.audit.AuditEntry;
import dev.gatehouse.audit.AuditLog;
import dev.gatehouse.platform.Caller;
import dev.gatehouse.platform.ChangeFeed;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Reads the configured plans.yml, validates it, and stores it as a new version when its content differs from
 * the latest one. A file with any error is refused whole and nothing is stored, so a bad file never replaces a
 * good one. Storing publishes the new version on the change feed (topic {@value #TOPIC}): every node, this one
 * included, then serves it (see {@link CatalogHolder}).
 */
@Service
class CatalogLoads {

    /** The change-feed topic a new version is announced on; the subject is the version number. */
    static final String TOPIC = "catalog";

    /** The outcome of a load that succeeded. */
    record Loaded(
            CatalogVersion version,
            boolean changed,
            @Nullable Integer previousVersion) {}

    /** A file that cannot be used, with every reason. */
    static final class Refused extends RuntimeException {
        private final List<CatalogError> errors;

        Refused(List<CatalogError> errors) {
            super(errors.isEmpty() ? "invalid catalog" : errors.getFirst().toString(), null, false, false);
            this.errors = List.copyOf(errors);
        }

        List<CatalogError> errors() {
            return errors;
        }
    }

    private final CatalogSettings settings;
    private final CatalogVersions versions;
    private final ObjectProvider<PlanReferences> references;
    private final ChangeFeed changeFeed;
    private final AuditLog audit;
    private final TransactionTemplate tx;
    private final Clock clock;

    CatalogLoads(
            CatalogSettings settings,
            CatalogVersions versions,
            ObjectProvider<PlanReferences> references,
            ChangeFeed changeFeed,
            AuditLog audit,
            TransactionTemplate tx,
            Clock clock) {
        this.settings = settings;
        this.versions = versions;
        this.references = references;
        this.changeFeed = changeFeed;
        this.audit = audit;
        this.tx = tx;
        this.clock = clock;
    }

    String file() {
        return settings.path();
    }

    /**
     * Reads the file and makes it the latest version unless it already is.
     *
     * @param admin who asked (a reload), or null at a node's start
     * @throws Refused when the file cannot be read, is invalid, or drops a plan still in use
     */
    Loaded load(@Nullable Caller admin) {
        CatalogDefinition definition = switch (CatalogParser.parse(file(), read())) {
            case CatalogParser.Result.Valid valid -> valid.definition();
            case CatalogParser.Result.Invalid invalid -> throw new Refused(invalid.errors());
        };
        return tx.execute(status -> store(definition, admin));
    }

    private Loaded store(CatalogDefinition definition, @Nullable Caller admin) {
        versions.lockForLoad();
        Optional<CatalogVersions.Stored> latest = versions.latest();
        if (latest.isPresent() && latest.get().hash().equals(definition.hash())) {
            CatalogVersions.Stored same = latest.get();
            if (admin != null) audit.record(reloaded(admin, same.version(), definition.hash(), same.version(), false));
            return new Loaded(definition.at(same.version(), same.loadedAt()), false, same.version());
        }
        refuseRemovedPlansInUse(definition);
        Instant now = clock.instant();
        int version = latest.map(s -> s.version() + 1).orElse(1);
        CatalogVersions.Cause cause = admin == null ? CatalogVersions.Cause.STARTUP : CatalogVersions.Cause.RELOAD;
        versions.insert(new CatalogVersions.Stored(
                UUID.randomUUID(),
                version,
                definition.hash(),
                definition.source(),
                file(),
                cause,
                now,
                admin == null ? null : admin.userId()));
        changeFeed.publish(TOPIC, Integer.toString(version));
        Integer previous = latest.map(CatalogVersions.Stored::version).orElse(null);
        audit.record(
                admin == null
                        ? AuditEntry.system("catalog.loaded")
                                .target("catalog_version", version)
                                .detail("hash", definition.hash())
                                .detail("previous_version", previous)
                                .detail("file", file())
                        : reloaded(admin, version, definition.hash(), previous, true));
        return new Loaded(definition.at(version, now), true, previous);
    }

    private AuditEntry reloaded(Caller admin, int version, String hash, @Nullable Integer previous, boolean changed) {
        return AuditEntry.by(admin, "catalog.reloaded")
                .target("catalog_version", version)
                .detail("hash", hash)
                .detail("previous_version", previous)
                .detail("changed", changed)
                .detail("file", file());
    }

    /** Records a refused reload: the attempt is an admin action even though it changed nothing. */
    void recordRefusal(Caller admin, List<CatalogError> errors) {
        tx.executeWithoutResult(status -> audit.record(AuditEntry.by(admin, "catalog.reload_refused")
                .detail("file", file())
                .detail("error_count", errors.size())
                .detail(
                        "errors",
                        errors.stream().limit(20).map(CatalogError::toString).toList())));
    }

    /**
     * A plan that organizations are subscribed to cannot disappear: they would lose what they pay for without
     * anyone deciding it. Move them first (admin plan override), then drop the plan.
     */
    private void refuseRemovedPlansInUse(CatalogDefinition definition) {
        List<CatalogError> errors = new ArrayList<>();
        references.orderedStream().forEach(refs -> {
            for (Map.Entry<String, Long> inUse : refs.plansInUse().entrySet()) {
                if (!definition.plans().containsKey(inUse.getKey())) {
                    errors.add(new CatalogError(
                            file(),
                            "plans." + inUse.getKey(),
                            0,
                            0,
                            "plan '" + inUse.getKey() + "' is missing, but " + inUse.getValue()
                                    + " organization(s) are subscribed to it; move them to another plan first"));
                }
            }
        });
        if (!errors.isEmpty()) throw new Refused(errors);
    }

    /** The latest stored version, read back from its text. */
    Optional<CatalogVersion> latest() {
        return versions.latest().map(CatalogLoads::revive);
    }

    /**
     * A stored version as a catalog. Its text was valid when stored; should a later Gatehouse read it
     * differently, that is a bug to see at once, not a catalog to half-serve.
     */
    static CatalogVersion revive(CatalogVersions.Stored stored) {
        return switch (CatalogParser.parse(
                stored.file(), stored.source().getBytes(java.nio.charset.StandardCharsets.UTF_8))) {
            case CatalogParser.Result.Valid valid -> valid.definition().at(stored.version(), stored.loadedAt());
            case CatalogParser.Result.Invalid invalid ->
                throw new IllegalStateException(
                        "Stored catalog version " + stored.version() + " no longer reads: " + invalid.errors());
        };
    }

    private byte[] read() {
        String path = file();
        try {
            if (path.startsWith("classpath:")) {
                String resource = path.substring("classpath:".length()).replaceFirst("^/", "");
                try (InputStream in = CatalogLoads.class.getClassLoader().getResourceAsStream(resource)) {
                    if (in == null) throw unreadable("no such resource on the class path");
                    return in.readNBytes(CatalogParser.MAX_BYTES + 1);
                }
            }
            try (InputStream in = Files.newInputStream(Path.of(path))) {
                return in.readNBytes(CatalogParser.MAX_BYTES + 1);
            }
        } catch (NoSuchFileException e) {
            throw unreadable("no such file");
        } catch (AccessDeniedException e) {
            throw unreadable("permission denied");
        } catch (InvalidPathException e) {
            throw unreadable("not a valid path: " + e.getReason());
        } catch (IOException e) {
            throw unreadable("cannot be read: " + e.getMessage());
        }
    }

    private Refused unreadable(String reason) {
        return new Refused(List.of(new CatalogError(file(), "", 0, 0, reason)));
    }
}
