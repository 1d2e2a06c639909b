package dev.gatehouse.identity;

import dev.gatehouse.platform.Permission;
import dev.gatehouse.platform.RequiresPermission;
import io.swagger.v3.oas.annotations.Operation;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.springframework.http.CacheControl;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** Discovery documents that let the product verify access tokens offline. */
@RequiresPermission(Permission.PUBLIC)
@RestController
class DiscoveryController {

    private final KeyRing keys;
    private final AccessTokens tokens;

    DiscoveryController(KeyRing keys, AccessTokens tokens) {
        this.keys = keys;
        this.tokens = tokens;
    }

    @Operation(operationId = "getJwks", summary = "The public signing keys (JWKS, RFC 7517)")
    @GetMapping(path = "/.well-known/jwks.json", produces = "application/json")
    ResponseEntity<Map<String, Object>> jwks() {
        // Short caching: a new key is published an hour before it signs, so verifiers see it in time.
        return ResponseEntity.ok()
                .cacheControl(CacheControl.maxAge(Duration.ofMinutes(5)).cachePublic())
                .body(keys.publicKeys().toJSONObject(/* publicKeysOnly= */ true));
    }

    @Operation(
            operationId = "getOpenidConfiguration",
            summary = "Minimal OpenID Provider metadata (issuer, JWKS location, algorithms)")
    @GetMapping(path = "/.well-known/openid-configuration", produces = "application/json")
    ResponseEntity<Map<String, Object>> openidConfiguration() {
        String issuer = tokens.issuer();
        return ResponseEntity.ok()
                .cacheControl(CacheControl.maxAge(Duration.ofMinutes(5)).cachePublic())
                .body(Map.of(
                        "issuer", issuer,
                        "jwks_uri", issuer + "/.well-known/jwks.json",
                        "token_endpoint", issuer + "/api/v1/auth/token/refresh",
                        "userinfo_endpoint", issuer + "/api/v1/me",
                        "grant_types_supported", List.of("password", "refresh_token"),
                        "response_types_supported", List.of("token"),
                        "subject_types_supported", List.of("public"),
                        "id_token_signing_alg_values_supported", List.of("ES256"),
                        "token_endpoint_auth_methods_supported", List.of("none")));
    }
}
