package dev.gatehouse.billing;

import dev.gatehouse.platform.IgnoresIdempotencyKey;
import dev.gatehouse.platform.Permission;
import dev.gatehouse.platform.RequiresPermission;
import io.swagger.v3.oas.annotations.Operation;
import java.nio.charset.StandardCharsets;
import org.jspecify.annotations.Nullable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

/** Stripe's webhook endpoint: signed events in, 200 as soon as they are stored. */
@RestController
class StripeWebhookController {

    private final WebhookIntake intake;

    StripeWebhookController(WebhookIntake intake) {
        this.intake = intake;
    }

    /** @param duplicate whether the event had been received before (a replay: nothing was done) */
    record Received(boolean received, boolean duplicate) {}

    @Operation(
            operationId = "receiveStripeWebhook",
            summary = "Stripe's webhook endpoint (signed with Stripe-Signature)",
            description = "Verifies the Stripe-Signature header (HMAC-SHA256, 300 s tolerance, any v1 signature, any"
                    + " configured secret), stores the raw event under its id and answers 200 at once; processing runs"
                    + " in a background job. A replayed event answers 200 with duplicate true and does nothing."
                    + " 400 invalid_signature for a missing, forged, tampered or stale signature; 409 billing_disabled"
                    + " without a webhook secret.")
    @PostMapping(path = "/api/v1/billing/stripe/webhook", produces = "application/json")
    @RequiresPermission(Permission.PUBLIC)
    // Stripe sends no Idempotency-Key; the event id is the key, kept with the event in the intake's transaction.
    @IgnoresIdempotencyKey(IgnoresIdempotencyKey.Reason.KEPT_WITH_THE_EFFECT)
    Received receive(
            @RequestBody(required = false) byte @Nullable [] body,
            @RequestHeader(name = "Stripe-Signature", required = false) @Nullable String signature) {
        String payload = body == null ? "" : new String(body, StandardCharsets.UTF_8);
        WebhookIntake.Outcome outcome = intake.receive(payload, signature);
        return new Received(true, outcome == WebhookIntake.Outcome.DUPLICATE);
    }
}
