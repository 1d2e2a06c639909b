package dev.gatehouse.flags;

import dev.gatehouse.platform.CallerAuthentication;
import dev.gatehouse.platform.Permission;
import dev.gatehouse.platform.RequiresPermission;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

/** Moving over from Unleash: import its feature state. */
@RequiresPermission(Permission.FLAGS_MANAGE)
@RestController
class FlagImportController {

    private final FlagAdmin admin;

    FlagImportController(FlagAdmin admin) {
        this.admin = admin;
    }

    /** What was imported, and each thing left out with why. */
    record ImportResult(List<String> flags, List<String> segments, List<String> warnings) {}

    @Operation(
            operationId = "importUnleashFeatures",
            summary = "Import an Unleash feature state (GET /api/client/features of Unleash, with segments)",
            description = "Creates or replaces the document's flags (a new version each) and segments; others are"
                    + " left alone. A delta-API document ({events: [...]}) is accepted too. Strategies and"
                    + " constraints that can never match, and unsupported strategies, are left out with a"
                    + " warning. See docs/flags.md, Migrating from Unleash.",
            requestBody =
                    @io.swagger.v3.oas.annotations.parameters.RequestBody(
                            required = true,
                            content = @Content(mediaType = "application/json", schema = @Schema(type = "object"))))
    @PostMapping(path = "/api/v1/admin/flag-imports", consumes = "application/json", produces = "application/json")
    ImportResult importUnleash(@RequestBody JsonNode document) {
        FlagAdmin.Imported imported = admin.importUnleash(CallerAuthentication.current(), document);
        return new ImportResult(imported.flags(), imported.segments(), imported.warnings());
    }
}
