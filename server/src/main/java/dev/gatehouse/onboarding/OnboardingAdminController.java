package dev.gatehouse.onboarding;

import dev.gatehouse.platform.CallerAuthentication;
import dev.gatehouse.platform.Permission;
import dev.gatehouse.platform.RequiresPermission;
import io.swagger.v3.oas.annotations.Operation;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Size;
import java.net.URI;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** Checklist versions for admins: list, read, create drafts, delete drafts, migrate users to a draft. Audited. */
@RequiresPermission(Permission.ONBOARDING_MANAGE)
@RestController
@RequestMapping(path = "/api/v1/admin/onboarding", produces = "application/json")
class OnboardingAdminController {

    private final ChecklistVersions versions;

    OnboardingAdminController(ChecklistVersions versions) {
        this.versions = versions;
    }

    @Operation(operationId = "listOnboardingVersions", summary = "Checklist versions with their steps, newest first")
    @GetMapping("/versions")
    ChecklistVersionView.ChecklistVersionPage list(
            @RequestParam(defaultValue = "20") @Min(1) @Max(200) int limit,
            @RequestParam(required = false) @Size(max = 200) @Nullable String cursor) {
        return versions.page(cursor == null ? null : VersionCursor.decode(cursor), limit);
    }

    @Operation(operationId = "getOnboardingVersion", summary = "One checklist version with its steps")
    @GetMapping("/versions/{version}")
    ChecklistVersionView get(@PathVariable int version) {
        return versions.get(version);
    }

    @Operation(
            operationId = "createOnboardingVersion",
            summary = "Create a draft checklist version (1 to 50 steps, in order); no user sees it until migrated to",
            description = "Step keys are unique within a version; progress follows them from version to version, so"
                    + " keep a key to keep users' progress and use a new key to ask again. A version cannot be"
                    + " edited: create another draft and delete the unwanted one.")
    @PostMapping(path = "/versions", consumes = "application/json")
    @ResponseStatus(HttpStatus.CREATED) // the Location header needs ResponseEntity; the document reads this
    ResponseEntity<ChecklistVersionView> create(@Valid @RequestBody OnboardingRequests.NewChecklistVersion body) {
        ChecklistVersionView created = versions.create(CallerAuthentication.current(), body);
        return ResponseEntity.created(URI.create("/api/v1/admin/onboarding/versions/" + created.version()))
                .body(created);
    }

    @Operation(
            operationId = "deleteOnboardingVersion",
            summary = "Delete a draft version (409 version_not_draft for the active or a retired one)")
    @DeleteMapping("/versions/{version}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void delete(@PathVariable int version) {
        versions.delete(CallerAuthentication.current(), version);
    }

    @Operation(
            operationId = "migrateOnboardingVersion",
            summary = "Make a draft the active version and move every user's progress to it, in one transaction",
            description = "By step key: done steps are kept, skipped ones reset to todo (their row_version moves on),"
                    + " steps the new version lacks are dropped, new ones start as todo; progress is recomputed with"
                    + " the new weights on the next read. The previous version is retired. 409 version_not_draft"
                    + " unless the version is a draft.")
    @PostMapping(path = "/migrate-version", consumes = "application/json")
    ChecklistVersionView.ChecklistMigration migrate(@Valid @RequestBody OnboardingRequests.MigrateChecklist body) {
        return versions.migrate(CallerAuthentication.current(), body.version());
    }
}
