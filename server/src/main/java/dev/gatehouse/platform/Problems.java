package dev.gatehouse.platform;

import java.net.URI;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;

/**
 * Stable problem {@code type} URIs, the ready-made problems every module needs, and {@link #of} for a
 * module's own: a module lists its problems as factory methods named for the fact ({@code
 * IdentityFailures.emailNotVerified()}), each built here, so no module needs an exception class of its own
 * just to carry a status, a code and a few extra members.
 */
public final class Problems {

    /** Base of every problem type URI; the last path segment is the machine code with dashes. */
    public static final String TYPE_BASE = "https://gatehouse.dev/problems/";

    private Problems() {}

    public static URI type(String code) {
        return URI.create(TYPE_BASE + code.replace('_', '-'));
    }

    /** The addressed resource does not exist, or the caller may not know it exists. */
    public static ApiException notFound(String what) {
        return of(HttpStatus.NOT_FOUND, "not_found", "Not found", what + " was not found.");
    }

    /** The request is well-formed but breaks a rule of the resource. */
    public static ApiException invalid(String code, String detail) {
        return of(HttpStatus.UNPROCESSABLE_CONTENT, code, "Unprocessable request", detail);
    }

    public static ApiException badRequest(String code, String detail) {
        return of(HttpStatus.BAD_REQUEST, code, "Bad request", detail);
    }

    public static ApiException conflict(String code, String detail) {
        return of(HttpStatus.CONFLICT, code, "Conflict", detail);
    }

    public static ApiException forbidden(String detail) {
        return of(HttpStatus.FORBIDDEN, "forbidden", "Forbidden", detail);
    }

    public static ApiException unauthorized(String code, String detail) {
        return of(HttpStatus.UNAUTHORIZED, code, "Unauthorized", detail);
    }

    /** A problem of the caller's own code and title. */
    public static ApiException of(HttpStatus status, String code, String title, String detail) {
        return new Simple(status, code, title, detail, Map.of());
    }

    /** A problem with extra members in its body, such as the limit that was reached. */
    public static ApiException of(
            HttpStatus status, String code, String title, String detail, Map<String, @Nullable Object> properties) {
        return new Simple(status, code, title, detail, properties);
    }

    private static final class Simple extends ApiException {
        Simple(HttpStatus status, String code, String title, String detail, Map<String, @Nullable Object> properties) {
            super(status, code, title, detail, properties);
        }
    }
}
