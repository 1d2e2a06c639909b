package dev.gatehouse.organization;

import dev.gatehouse.platform.CallerAuthentication;
import dev.gatehouse.platform.Page;
import dev.gatehouse.platform.PageCursor;
import dev.gatehouse.platform.Permission;
import dev.gatehouse.platform.RequiresPermission;
import io.swagger.v3.oas.annotations.Operation;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.net.URI;
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

/** The caller's organizations: list, create, read, rename, delete, transfer ownership. */
@RequiresPermission(Permission.SIGNED_IN)
@RestController
@RequestMapping(path = "/api/v1/orgs", produces = "application/json")
class OrgController {

    /** A name is 1–200 characters with at least one that is not a space, and no control characters. */
    static final String NAME = "[^\\p{Cntrl}]*[^\\p{Cntrl}\\s][^\\p{Cntrl}]*";

    static final String NAME_MESSAGE = "must not be blank or contain control characters";

    private final OrgManagement management;

    OrgController(OrgManagement management) {
        this.management = management;
    }

    /**
     * An organization as the caller sees it.
     *
     * @param role the caller's role in it
     */
    record OrgView(UUID id, String name, boolean personal, OrgRole role, Instant createdAt) {
        static OrgView of(Standing s) {
            return new OrgView(
                    s.org().id(),
                    s.org().name(),
                    s.org().personal(),
                    s.role(),
                    s.org().createdAt());
        }
    }

    record OrgPage(List<OrgView> data, @Nullable String nextCursor) {}

    @Operation(
            operationId = "listOrgs",
            summary = "The caller's organizations with their role in each, in the order they joined")
    @GetMapping
    OrgPage list(
            @RequestParam(defaultValue = "50") @Min(1) @Max(200) int limit,
            @RequestParam(required = false) @Nullable String cursor) {
        PageCursor after = cursor == null ? null : PageCursor.decode(cursor);
        Page<Organizations.Joined> page = management.pageOf(caller(), after, limit);
        return new OrgPage(
                page.items().stream()
                        .map(j -> new OrgView(
                                j.org().id(),
                                j.org().name(),
                                j.org().personal(),
                                j.role(),
                                j.org().createdAt()))
                        .toList(),
                page.nextCursor());
    }

    record NewOrg(
            @NotNull @Size(min = 1, max = 200) @Pattern(regexp = NAME, message = NAME_MESSAGE)
            String name) {}

    @Operation(operationId = "createOrg", summary = "Create an organization; the caller becomes its owner")
    @PostMapping(consumes = "application/json")
    @ResponseStatus(HttpStatus.CREATED) // the Location header needs ResponseEntity; the document reads this
    ResponseEntity<OrgView> create(@Valid @RequestBody NewOrg body) {
        OrgView view = OrgView.of(management.create(caller(), body.name().strip()));
        return ResponseEntity.created(URI.create("/api/v1/orgs/" + view.id())).body(view);
    }

    @Operation(operationId = "getOrg", summary = "One organization (404 unless the caller is a member)")
    @GetMapping("/{org}")
    OrgView get(@PathVariable UUID org) {
        return OrgView.of(management.get(org, caller()));
    }

    record OrgPatch(
            @NotNull @Size(min = 1, max = 200) @Pattern(regexp = NAME, message = NAME_MESSAGE)
            String name) {}

    @Operation(operationId = "renameOrg", summary = "Rename an organization (org.update)")
    @PatchMapping(path = "/{org}", consumes = "application/json")
    OrgView rename(@PathVariable UUID org, @Valid @RequestBody OrgPatch body) {
        return OrgView.of(management.rename(org, caller(), body.name().strip()));
    }

    @Operation(
            operationId = "deleteOrg",
            summary = "Delete an organization (org.delete); personal organizations cannot be deleted")
    @DeleteMapping("/{org}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void delete(@PathVariable UUID org) {
        management.delete(org, caller());
    }

    record Transfer(@NotNull UUID userId) {}

    @Operation(
            operationId = "transferOwnership",
            summary = "Transfer ownership (ownership.transfer)",
            description = "The member becomes owner; the caller becomes admin. Answers the organization as the caller"
                    + " now sees it.")
    @PostMapping(path = "/{org}/transfer-ownership", consumes = "application/json")
    OrgView transfer(@PathVariable UUID org, @Valid @RequestBody Transfer body) {
        return OrgView.of(management.transfer(org, caller(), body.userId()));
    }

    static UUID caller() {
        return CallerAuthentication.current().userId();
    }
}
