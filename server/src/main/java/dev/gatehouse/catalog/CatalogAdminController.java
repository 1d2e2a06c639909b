package dev.gatehouse.catalog;

import com.github.difflib.DiffUtils;
import com.github.difflib.UnifiedDiffUtils;
import dev.gatehouse.platform.CallerAuthentication;
import dev.gatehouse.platform.Page;
import dev.gatehouse.platform.PageCursor;
import dev.gatehouse.platform.Permission;
import dev.gatehouse.platform.RequiresPermission;
import io.swagger.v3.oas.annotations.Operation;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** The catalog for operators: reload plans.yml, list the stored versions, read one, diff two. */
@RequiresPermission(Permission.CATALOG_MANAGE)
@RestController
@RequestMapping(path = "/api/v1/admin/catalog", produces = "application/json")
class CatalogAdminController {

    private final CatalogHolder holder;
    private final CatalogVersions versions;

    CatalogAdminController(CatalogHolder holder, CatalogVersions versions) {
        this.holder = holder;
        this.versions = versions;
    }

    /**
     * The outcome of a reload.
     *
     * @param changed whether the file differed from the latest version (and so became a new one)
     * @param previousVersion the version that was active before
     */
    record Reloaded(
            int version,
            String hash,
            boolean changed,
            @Nullable Integer previousVersion,
            Instant loadedAt,
            String file,
            List<String> plans) {}

    @Operation(
            operationId = "reloadCatalog",
            summary = "Read plans.yml again and serve it on every node within a second (audited)",
            description = "A valid file that differs from the active version becomes a new version; an identical one"
                    + " changes nothing (changed: false). A file with any error is refused whole with 422"
                    + " catalog_invalid listing every error (file, path, line, column, reason) and the version"
                    + " that stays active. A file that drops a plan organizations are subscribed to is refused"
                    + " the same way.")
    @PostMapping("/reload")
    Reloaded reload() {
        CatalogLoads.Loaded loaded;
        try {
            loaded = holder.reload(CallerAuthentication.current());
        } catch (CatalogLoads.Refused refused) {
            throw CatalogFailures.invalid(refused.errors(), holder.current().version());
        }
        CatalogVersion v = loaded.version();
        return new Reloaded(
                v.version(),
                v.hash(),
                loaded.changed(),
                loaded.previousVersion(),
                v.loadedAt(),
                holder.file(),
                List.copyOf(v.plans().keySet()));
    }

    /**
     * A stored version.
     *
     * @param cause {@code startup} (read when a node started) or {@code reload}
     * @param loadedBy the admin who reloaded it; absent for a start
     * @param active whether it is the version in use
     */
    record VersionView(
            int version,
            String hash,
            String file,
            String cause,
            Instant loadedAt,
            @Nullable UUID loadedBy,
            boolean active) {
        static VersionView of(CatalogVersions.Stored s, int active) {
            return new VersionView(
                    s.version(),
                    s.hash(),
                    s.file(),
                    s.cause().wire(),
                    s.loadedAt(),
                    s.loadedBy(),
                    s.version() == active);
        }
    }

    record VersionPage(List<VersionView> data, @Nullable String nextCursor) {}

    @Operation(operationId = "listCatalogVersions", summary = "Stored catalog versions, newest first")
    @GetMapping("/versions")
    VersionPage list(
            @RequestParam(defaultValue = "50") @Min(1) @Max(200) int limit,
            @RequestParam(required = false) @Size(max = 200) @Nullable String cursor) {
        Page<CatalogVersions.Stored> page = versions.page(cursor == null ? null : PageCursor.decode(cursor), limit);
        int active = holder.current().version();
        return new VersionPage(
                page.items().stream().map(s -> VersionView.of(s, active)).toList(), page.nextCursor());
    }

    /** A stored version with the file's text. */
    record VersionSource(VersionView version, String source) {}

    @Operation(operationId = "getCatalogVersion", summary = "One stored version with the text of its plans.yml")
    @GetMapping("/versions/{version}")
    VersionSource get(@PathVariable @Min(1) int version) {
        CatalogVersions.Stored s = versions.byVersion(version).orElseThrow(CatalogFailures::versionNotFound);
        return new VersionSource(VersionView.of(s, holder.current().version()), s.source());
    }

    /**
     * Two versions compared.
     *
     * @param diff a unified diff (3 lines of context) from {@code from} to {@code to}; empty when the texts are
     *     equal
     */
    record VersionDiff(int from, int to, String diff) {}

    @Operation(
            operationId = "diffCatalogVersions",
            summary = "A unified diff between two stored versions",
            description = "From the version given as from (default: the one before) to this one.")
    @GetMapping("/versions/{version}/diff")
    VersionDiff diff(
            @PathVariable @Min(1) int version, @RequestParam(required = false) @Min(1) @Nullable Integer from) {
        CatalogVersions.Stored to = versions.byVersion(version).orElseThrow(CatalogFailures::versionNotFound);
        int base = from != null ? from : version - 1;
        CatalogVersions.Stored old =
                base < 1 ? null : versions.byVersion(base).orElseThrow(CatalogFailures::versionNotFound);
        List<String> before = old == null ? List.of() : old.source().lines().toList();
        List<String> after = to.source().lines().toList();
        List<String> unified = UnifiedDiffUtils.generateUnifiedDiff(
                "plans.yml@" + (old == null ? 0 : old.version()),
                "plans.yml@" + to.version(),
                before,
                DiffUtils.diff(before, after),
                3);
        return new VersionDiff(
                old == null ? 0 : old.version(),
                to.version(),
                unified.isEmpty() ? "" : String.join("\n", unified) + "\n");
    }
}
