package dev.gatehouse.apikey;

import dev.gatehouse.platform.CallerAuthentication;
import dev.gatehouse.platform.Page;
import dev.gatehouse.platform.PageCursor;
import dev.gatehouse.platform.Permission;
import dev.gatehouse.platform.RequiresPermission;
import io.swagger.v3.oas.annotations.Operation;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Size;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.util.UUID;
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

/** An organization's API keys: list ({@code api_keys.read}), create and revoke ({@code api_keys.manage}). */
@RequiresPermission(Permission.SIGNED_IN)
@RestController
@RequestMapping(path = "/api/v1/orgs/{org}/api-keys", produces = "application/json")
class OrgApiKeyController {

    private final OrgApiKeys keys;
    private final Clock clock;

    OrgApiKeyController(OrgApiKeys keys, Clock clock) {
        this.keys = keys;
        this.clock = clock;
    }

    @Operation(
            operationId = "listOrgApiKeys",
            summary = "The organization's API keys, newest first (api_keys.read)",
            description = "Revoked and expired keys are listed too, with their status. Secrets are never shown here.")
    @GetMapping
    KeyView.Page list(
            @PathVariable UUID org,
            @RequestParam(defaultValue = "50") @Min(1) @Max(200) int limit,
            @RequestParam(required = false) @Size(max = 200) @Nullable String cursor) {
        Page<ApiKey> page = keys.list(
                org, CallerAuthentication.current().userId(), cursor == null ? null : PageCursor.decode(cursor), limit);
        Instant now = clock.instant();
        return new KeyView.Page(
                page.items().stream().map(k -> KeyView.of(k, now)).toList(), page.nextCursor());
    }

    @Operation(
            operationId = "createOrgApiKey",
            summary = "Create an API key (api_keys.manage); the answer holds the secret, shown this once",
            description = "The secret is gh_pk_ followed by 43 base64url characters; only its SHA-256 is stored."
                    + " An organization holds at most 100 active keys (409 api_key_limit_reached).")
    @PostMapping(consumes = "application/json")
    @ResponseStatus(HttpStatus.CREATED) // the Location header needs ResponseEntity; the document reads this
    ResponseEntity<KeyView> create(@PathVariable UUID org, @Valid @RequestBody KeyRequests.NewKey body) {
        OrgApiKeys.Created created = keys.create(org, CallerAuthentication.current(), body);
        return ResponseEntity.created(URI.create(
                        "/api/v1/orgs/" + org + "/api-keys/" + created.key().id()))
                .body(KeyView.of(created.key(), clock.instant(), created.secret()));
    }

    @Operation(
            operationId = "revokeOrgApiKey",
            summary = "Revoke an API key (api_keys.manage)",
            description = "Verification answers revoked on every node within a second. The key stays listed.")
    @DeleteMapping("/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void revoke(@PathVariable UUID org, @PathVariable UUID id) {
        keys.revoke(org, CallerAuthentication.current(), id);
    }
}
