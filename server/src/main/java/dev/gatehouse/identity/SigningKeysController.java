package dev.gatehouse.identity;

import dev.gatehouse.platform.Permission;
import dev.gatehouse.platform.RequiresPermission;
import io.swagger.v3.oas.annotations.Operation;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** Lets a superadmin rotate the JWT signing key ahead of schedule (e.g. after a suspected leak). */
@RequiresPermission(Permission.SIGNING_KEYS_ROTATE)
@RestController
class SigningKeysController {

    private final KeyRing keys;

    SigningKeysController(KeyRing keys) {
        this.keys = keys;
    }

    record Rotated(String kid) {}

    @Operation(
            operationId = "rotateSigningKey",
            summary = "Generate a new signing key; it is published now and signs after the publish-ahead delay")
    @PostMapping(path = "/api/v1/admin/signing-keys/rotate", produces = "application/json")
    @ResponseStatus(HttpStatus.CREATED)
    Rotated rotate() {
        return new Rotated(keys.rotate());
    }
}
