package dev.gatehouse.apikey;

import dev.gatehouse.platform.ApiException;
import dev.gatehouse.platform.Problems;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;

/** The API key module's problems, each a fact with a stable code. */
final class KeyFailures {

    private KeyFailures() {}

    /** Word for word what every organization route answers a non-member: the organization's existence stays hidden. */
    static ApiException orgNotFound() {
        return Problems.notFound("Organization");
    }

    static ApiException keyNotFound() {
        return Problems.notFound("API key");
    }

    static ApiException serviceKeyNotFound() {
        return Problems.notFound("Service key");
    }

    static ApiException tooManyKeys(int limit) {
        return Problems.of(
                HttpStatus.CONFLICT,
                "api_key_limit_reached",
                "API key limit reached",
                "An organization can hold " + limit + " active API keys; revoke one first.",
                Map.of("limit", limit));
    }

    static ApiException keyRevoked() {
        return Problems.conflict("service_key_revoked", "A revoked service key cannot be rotated; create a new one.");
    }

    static ApiException keyExpired() {
        return Problems.conflict("service_key_expired", "An expired service key cannot be rotated; create a new one.");
    }

    /**
     * A field the annotations cannot judge (it needs the clock or the whole list), reported exactly like Bean
     * Validation's failures: 400 {@code validation_failed} with the field in {@code errors[]}.
     */
    static ApiException invalidField(String field, String message) {
        return Problems.of(
                HttpStatus.BAD_REQUEST,
                "validation_failed",
                "Validation failed",
                "One or more fields are invalid; see errors.",
                Map.of("errors", List.of(Map.of("field", field, "message", message))));
    }

    /** The bearer credential looks like an org API key but is not one that works (unknown, revoked, expired). */
    static ApiException invalidOrgKey() {
        return Problems.unauthorized("invalid_token", "The API key is unknown, revoked or expired.");
    }

    /** The bearer credential looks like a service key but is not one that works (unknown, revoked, expired, retired). */
    static ApiException invalidServiceKey() {
        return Problems.unauthorized("invalid_token", "The service key is unknown, revoked or expired.");
    }
}
