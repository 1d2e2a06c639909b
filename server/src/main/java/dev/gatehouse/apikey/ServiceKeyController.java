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
import java.time.Duration;
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

/** Service keys for the product's backend (admin, superadmin): list, create, revoke, rotate. */
@RequiresPermission(Permission.SERVICE_KEYS_MANAGE)
@RestController
@RequestMapping(path = "/api/v1/admin/service-keys", produces = "application/json")
class ServiceKeyController {

    private final ServiceKeys keys;
    private final Clock clock;

    ServiceKeyController(ServiceKeys keys, Clock clock) {
        this.keys = keys;
        this.clock = clock;
    }

    @Operation(operationId = "listServiceKeys", summary = "Service keys, newest first; secrets are never shown here")
    @GetMapping
    KeyView.Page list(
            @RequestParam(defaultValue = "50") @Min(1) @Max(200) int limit,
            @RequestParam(required = false) @Size(max = 200) @Nullable String cursor) {
        Page<ApiKey> page = keys.list(cursor == null ? null : PageCursor.decode(cursor), limit);
        Instant now = clock.instant();
        return new KeyView.Page(
                page.items().stream().map(k -> KeyView.of(k, now)).toList(), page.nextCursor());
    }

    @Operation(
            operationId = "createServiceKey",
            summary = "Create a service key; the answer holds the secret, shown this once",
            description = "The secret is gh_sk_ followed by 43 base64url characters. The backend sends it as"
                    + " Authorization: Bearer gh_sk_... to the service routes (POST /api/v1/keys/verify).")
    @PostMapping(consumes = "application/json")
    @ResponseStatus(HttpStatus.CREATED) // the Location header needs ResponseEntity; the document reads this
    ResponseEntity<KeyView> create(@Valid @RequestBody KeyRequests.NewKey body) {
        ServiceKeys.WithSecret created = keys.create(CallerAuthentication.current(), body);
        return ResponseEntity.created(
                        URI.create("/api/v1/admin/service-keys/" + created.key().id()))
                .body(KeyView.of(created.key(), clock.instant(), created.secret()));
    }

    @Operation(
            operationId = "revokeServiceKey",
            summary = "Revoke a service key: every secret of it stops working on every node within a second")
    @DeleteMapping("/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void revoke(@PathVariable UUID id) {
        keys.revoke(CallerAuthentication.current(), id);
    }

    @Operation(
            operationId = "rotateServiceKey",
            summary = "Rotate a service key: a new secret, the current one kept working for an overlap",
            description = "overlap_seconds: 0 to 604800 (7 days), default 86400. The key keeps its id; the answer"
                    + " holds the new secret once. Rotating during an overlap retires the older previous secret"
                    + " at once; overlap 0 retires the current secret at once.")
    @PostMapping(path = "/{id}/rotate")
    KeyView rotate(@PathVariable UUID id, @Valid @RequestBody(required = false) KeyRequests.@Nullable Rotation body) {
        long overlap = body == null ? KeyRequests.DEFAULT_OVERLAP_SECONDS : body.overlap();
        ServiceKeys.WithSecret rotated = keys.rotate(CallerAuthentication.current(), id, Duration.ofSeconds(overlap));
        return KeyView.of(rotated.key(), clock.instant(), rotated.secret());
    }
}
