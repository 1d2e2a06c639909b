package dev.gatehouse.apikey;

import dev.gatehouse.platform.IgnoresIdempotencyKey;
import dev.gatehouse.platform.Permission;
import dev.gatehouse.platform.RequiresPermission;
import io.swagger.v3.oas.annotations.Operation;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * Org API key verification for the product's backend, which calls it with its service key. This is the hot
 * path: a key seen before is answered from memory, without PostgreSQL.
 */
@RequiresPermission(Permission.KEYS_VERIFY)
@IgnoresIdempotencyKey(IgnoresIdempotencyKey.Reason.READ_ONLY)
@RestController
class VerifyController {

    private final KeyVerifier verifier;

    VerifyController(KeyVerifier verifier) {
        this.verifier = verifier;
    }

    @Operation(
            operationId = "verifyApiKey",
            summary = "Verify an org API key (service key only)",
            description = "Always 200 for a well-formed request: {valid: true, key_id, org_id, scopes, plan,"
                    + " expires_at, rate_limit}, or {valid: false, code} with code malformed_key, unknown_key,"
                    + " revoked or expired. plan is the organization's plan now; rate_limit is {allowed: true,"
                    + " policy: \"none\"} until rate limits exist. Revocations and plan changes reach every node"
                    + " within a second.")
    @PostMapping(path = "/api/v1/keys/verify", consumes = "application/json", produces = "application/json")
    Verification verify(@RequestBody KeyRequests.VerifyRequest body) {
        return verifier.verifyOrgKey(body.checkedKey());
    }
}
