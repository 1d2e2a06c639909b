package dev.gatehouse.onboarding;

import dev.gatehouse.platform.IgnoresIdempotencyKey;
import dev.gatehouse.platform.Permission;
import dev.gatehouse.platform.RequiresPermission;
import io.swagger.v3.oas.annotations.Operation;
import jakarta.validation.Valid;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/** Onboarding gates for the product's backend (service key): may this user do the gated action yet? */
@RequiresPermission(Permission.GATES_CHECK)
@IgnoresIdempotencyKey(IgnoresIdempotencyKey.Reason.READ_ONLY)
@RestController
class GateController {

    private final Gates gates;

    GateController(Gates gates) {
        this.gates = gates;
    }

    @Operation(
            operationId = "checkGate",
            summary = "Check an onboarding gate for a user (service key only): 200 open, 409 naming the missing step",
            description = "The gate is open when every step of the active checklist that names it in its gates, and"
                    + " applies to the user (market and role, as for GET /api/v1/onboarding), is done. Closed: 409"
                    + " onboarding_step_required with gate, user, missing_step (the first, in checklist order),"
                    + " missing_step_title and missing_steps. A gate no step names is open. With gating switched off"
                    + " the answer is 200 with bypassed: disabled; when progress cannot be read, 200 with bypassed:"
                    + " fail_open, or 503 gating_unavailable if configured to fail closed. 404 for an unknown user.")
    @PostMapping(path = "/api/v1/gates/check", consumes = "application/json", produces = "application/json")
    GateDecision check(@Valid @RequestBody OnboardingRequests.GateCheck body) {
        return gates.check(body);
    }
}
