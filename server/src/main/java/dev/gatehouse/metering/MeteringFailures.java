package dev.gatehouse.metering;

import dev.gatehouse.catalog.Aggregation;
import dev.gatehouse.platform.ApiException;
import dev.gatehouse.platform.Problems;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;

/** The metering module's problems, each a fact with a stable code. */
final class MeteringFailures {

    private MeteringFailures() {}

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

    static ApiException missingScope(String scope) {
        return Problems.of(
                HttpStatus.FORBIDDEN,
                "forbidden",
                "Forbidden",
                "This API key lacks the " + scope + " scope.",
                Map.of("scope", scope));
    }

    static ApiException unknownMeter(String meter) {
        return Problems.invalid("unknown_meter", "There is no meter '" + meter + "' in the catalog.");
    }

    static ApiException notConsumable(String meter, Aggregation aggregation) {
        return Problems.invalid(
                "meter_not_consumable",
                "The meter '" + meter + "' aggregates by " + aggregation.wire()
                        + "; only count and sum meters can be consumed.");
    }

    static ApiException idempotencyKeyReused() {
        return Problems.of(
                HttpStatus.UNPROCESSABLE_CONTENT,
                "idempotency_key_reused",
                "Idempotency key reused",
                "This Idempotency-Key was already used with a different request; use a new key.");
    }

    static ApiException invalidIdempotencyKey() {
        return Problems.badRequest(
                "invalid_idempotency_key", "Send one Idempotency-Key header of 1 to 255 characters.");
    }

    static ApiException invalidRange(String detail) {
        return Problems.badRequest("invalid_parameter", detail);
    }
}
