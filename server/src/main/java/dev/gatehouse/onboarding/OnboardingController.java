package dev.gatehouse.onboarding;

import dev.gatehouse.platform.CallerAuthentication;
import dev.gatehouse.platform.Permission;
import dev.gatehouse.platform.RequiresPermission;
import io.swagger.v3.oas.annotations.Operation;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Pattern;
import java.time.Instant;
import org.jspecify.annotations.Nullable;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** The signed-in user's onboarding checklist: read it, settle its steps, snooze its nudge. */
@RequiresPermission(Permission.SIGNED_IN)
@RestController
@RequestMapping(path = "/api/v1/onboarding", produces = "application/json")
class OnboardingController {

    private final Checklists checklists;

    OnboardingController(Checklists checklists) {
        this.checklists = checklists;
    }

    @Operation(
            operationId = "getOnboarding",
            summary = "The caller's checklist: the steps that apply, their states and the weighted progress",
            description = "market (ISO 3166-1 alpha-2) and role (the user's role in the product) select the steps"
                    + " limited to some markets or roles; a step with such a limit is left out when the value is not"
                    + " given or not among them. progress_percent is the weight of done and skipped steps over the"
                    + " weight of all listed steps, rounded down; complete is true when every listed required step"
                    + " is done.")
    @GetMapping
    ChecklistView get(
            @RequestParam(required = false)
                    @Pattern(regexp = Audience.MARKET, message = Audience.MARKET_MESSAGE)
                    @Nullable
                    String market,
            @RequestParam(required = false) @Pattern(regexp = Audience.ROLE, message = Audience.ROLE_MESSAGE) @Nullable
                    String role) {
        return ChecklistView.of(checklists.of(CallerAuthentication.current().userId(), Audience.of(market, role)));
    }

    @Operation(
            operationId = "changeOnboardingStep",
            summary = "Mark a step done or skipped, naming the row_version read (optimistic locking)",
            description = "{id} is the step's key. Allowed moves: todo → done, todo → skipped, skipped → done; a"
                    + " required step cannot be skipped (422 required_step), other moves are 422 invalid_transition."
                    + " A row_version that is not the step's current one is 409 stale_row_version, whose current"
                    + " member holds the step as it is now. The answer is the step with its new row_version.")
    @PatchMapping(path = "/steps/{id}", consumes = "application/json")
    ChecklistView.StepView change(@PathVariable String id, @Valid @RequestBody OnboardingRequests.StepChange body) {
        return checklists.change(CallerAuthentication.current().userId(), id, body.status(), body.rowVersion());
    }

    /**
     * A granted snooze.
     *
     * @param snoozedUntil when the checklist nudges again
     * @param remaining how many more snoozes are allowed in the current 24 hours
     */
    record SnoozeView(Instant snoozedUntil, int remaining) {}

    @Operation(
            operationId = "snoozeOnboarding",
            summary = "Hide the checklist's nudge for a while (4 hours by default), at most 3 times in 24 hours",
            description = "Beyond the limit: 429 snooze_limit_reached with Retry-After and retry_at. GET"
                    + " /api/v1/onboarding shows snoozed_until while a snooze runs.")
    @PostMapping("/snooze")
    SnoozeView snooze() {
        Checklists.Snoozed snoozed =
                checklists.snooze(CallerAuthentication.current().userId());
        return new SnoozeView(snoozed.snoozedUntil(), snoozed.remaining());
    }
}
