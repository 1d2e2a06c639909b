package dev.gatehouse.flags;

import dev.gatehouse.platform.CallerAuthentication;
import dev.gatehouse.platform.Permission;
import dev.gatehouse.platform.RequiresPermission;
import io.swagger.v3.oas.annotations.Operation;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.util.UriUtils;

/** Feature flags for platform admins: list, create, read, change (optimistically locked), delete, versions. */
@RequiresPermission(Permission.FLAGS_MANAGE)
@RestController
@RequestMapping(path = "/api/v1/admin/flags", produces = "application/json")
class FlagController {

    private final FlagAdmin admin;
    private final FlagRows rows;
    private final FlagCache cache;

    FlagController(FlagAdmin admin, FlagRows rows, FlagCache cache) {
        this.admin = admin;
        this.rows = rows;
        this.cache = cache;
    }

    @Operation(operationId = "listFlags", summary = "Every flag, by key")
    @GetMapping
    FlagView.FlagList list() {
        return new FlagView.FlagList(
                rows.flags().stream().map(f -> FlagView.of(f, cache)).toList());
    }

    @Operation(
            operationId = "createFlag",
            summary = "Create a flag (version 1; off unless enabled is true)",
            description = "Strategies: default, flexible_rollout {rollout, stickiness, group_id}, user_ids, org_ids,"
                    + " remote_address {ips}; each with constraints, segments and variants. See docs/flags.md.")
    @PostMapping(consumes = "application/json")
    @ResponseStatus(HttpStatus.CREATED)
    ResponseEntity<FlagView> create(@Valid @RequestBody FlagDocs.NewFlag body) {
        var model = FlagAdminSupport.model(body::model);
        FlagRows.StoredFlag created = admin.create(CallerAuthentication.current(), model);
        return ResponseEntity.created(URI.create(
                        "/api/v1/admin/flags/" + segment(created.flag().key())))
                .body(FlagView.of(created, cache));
    }

    @Operation(operationId = "getFlag", summary = "One flag")
    @GetMapping("/{key}")
    FlagView get(@PathVariable String key) {
        return FlagView.of(rows.flag(key, false).orElseThrow(FlagFailures::flagNotFound), cache);
    }

    @Operation(
            operationId = "updateFlag",
            summary = "Change a flag: the members given replace the current ones",
            description = "version must be the flag's current version, else 409 version_conflict with the current"
                    + " flag (current) and its version (current_version). A change makes a new version.")
    @PatchMapping(path = "/{key}", consumes = "application/json")
    FlagView update(@PathVariable String key, @Valid @RequestBody FlagDocs.FlagUpdate body) {
        FlagRows.StoredFlag updated = admin.update(CallerAuthentication.current(), key, body.version(), body::applyTo);
        return FlagView.of(updated, cache);
    }

    @Operation(
            operationId = "deleteFlag",
            summary = "Delete a flag (its versions stay readable); flags that depend on it evaluate as off")
    @DeleteMapping("/{key}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void delete(@PathVariable String key) {
        admin.delete(CallerAuthentication.current(), key);
    }

    /** One version of a flag: the whole definition as it became, who changed it and how. */
    record FlagVersionView(
            long version,
            String change,
            FlagView.Definition flag,
            Instant changedAt,
            @Nullable UUID changedBy) {}

    record FlagVersionList(
            List<FlagVersionView> data, @Nullable Long nextBefore) {}

    @Operation(
            operationId = "listFlagVersions",
            summary = "A flag's versions, newest first (also after the flag was deleted)",
            description = "Page with before = the previous page's next_before.")
    @GetMapping("/{key}/versions")
    FlagVersionList versions(
            @PathVariable String key,
            @RequestParam(defaultValue = "50") @Min(1) @Max(200) int limit,
            @RequestParam(required = false) @Min(1) @Nullable Long before) {
        var versions = rows.versions(key, before, limit + 1);
        if (versions.isEmpty() && before == null) throw FlagFailures.flagNotFound();
        boolean more = versions.size() > limit;
        var page = more ? versions.subList(0, limit) : versions;
        return new FlagVersionList(
                page.stream()
                        .map(v -> new FlagVersionView(
                                v.version(),
                                v.change().wire(),
                                FlagView.Definition.of(v.flag()),
                                v.changedAt(),
                                v.changedBy()))
                        .toList(),
                more ? page.get(page.size() - 1).version() : null);
    }

    private static String segment(String key) {
        return UriUtils.encodePathSegment(key, StandardCharsets.UTF_8);
    }
}
