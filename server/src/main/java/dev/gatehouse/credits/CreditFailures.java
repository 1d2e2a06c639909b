package dev.gatehouse.credits;

import dev.gatehouse.platform.ApiException;
import dev.gatehouse.platform.Problems;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;

/** The credits module's problems, each a fact with a stable code. */
final class CreditFailures {

    private CreditFailures() {}

    static ApiException invalidField(String field, String message) {
        return Problems.of(
                HttpStatus.BAD_REQUEST,
                "validation_failed",
                "Validation failed",
                "One or more fields are invalid; see errors.",
                Map.of("errors", List.of(Map.of("field", field, "message", message))));
    }

    /** Also what a caller gets for an organization it may not see: its existence is not revealed. */
    static ApiException orgNotFound() {
        return Problems.notFound("Organization");
    }

    static ApiException reservationNotFound() {
        return Problems.notFound("Reservation");
    }

    static ApiException unknownModel(String model) {
        return Problems.invalid("unknown_model", "There is no model '" + model + "' in the credit unit's table.");
    }

    static ApiException notHeld(String state) {
        return Problems.of(
                HttpStatus.CONFLICT,
                "reservation_not_held",
                "Reservation not held",
                "The reservation is " + state + "; only a held reservation can be settled or released.",
                Map.of("state", state));
    }

    /** 402: the balance (and what the plan lets it overdraw) does not cover the amount. */
    static ApiException insufficient(long available, long overdraft, long requested, @Nullable String topUpUrl) {
        Map<String, @Nullable Object> members = new LinkedHashMap<>();
        members.put("available", Micros.pt(available));
        members.put("overdraft_limit", Micros.pt(overdraft));
        members.put("requested", Micros.pt(requested));
        members.put("top_up_url", topUpUrl);
        return Problems.of(
                HttpStatus.PAYMENT_REQUIRED,
                "insufficient_credits",
                "Insufficient credits",
                "The organization has " + Micros.pt(available).toPlainString() + " PT available; "
                        + Micros.pt(requested).toPlainString() + " PT were requested.",
                members);
    }

    static ApiException idempotencyKeyReused() {
        return Problems.of(
                HttpStatus.UNPROCESSABLE_CONTENT,
                "idempotency_key_reused",
                "Idempotency key reused",
                "This Idempotency-Key was already used with a different request; use a new key.");
    }

    static ApiException idempotencyInProgress() {
        return Problems.conflict(
                "idempotency_request_in_progress",
                "A request with this Idempotency-Key is still running; retry when it has finished.");
    }

    static ApiException invalidIdempotencyKey() {
        return Problems.badRequest(
                "invalid_idempotency_key", "Send one Idempotency-Key header of 1 to 255 characters.");
    }

    static ApiException badRequest(String code, String detail) {
        return Problems.badRequest(code, detail);
    }
}
