package dev.gatehouse.platform;

import java.net.URI;
import org.springframework.http.HttpStatus;

/** Stable problem {@code type} URIs and the ready-made problems every module needs. */
public final class Problems {

    /** Base of every problem type URI; the last path segment is the machine code with dashes. */
    public static final String TYPE_BASE = "https://gatehouse.dev/problems/";

    private Problems() {}

    public static URI type(String code) {
        return URI.create(TYPE_BASE + code.replace('_', '-'));
    }

    /** The addressed resource does not exist, or the caller may not know it exists. */
    public static ApiException notFound(String what) {
        return new Simple(HttpStatus.NOT_FOUND, "not_found", "Not found", what + " was not found.");
    }

    /** The request is well-formed but breaks a rule of the resource. */
    public static ApiException invalid(String code, String detail) {
        return new Simple(HttpStatus.UNPROCESSABLE_CONTENT, code, "Unprocessable request", detail);
    }

    public static ApiException badRequest(String code, String detail) {
        return new Simple(HttpStatus.BAD_REQUEST, code, "Bad request", detail);
    }

    public static ApiException conflict(String code, String detail) {
        return new Simple(HttpStatus.CONFLICT, code, "Conflict", detail);
    }

    public static ApiException forbidden(String detail) {
        return new Simple(HttpStatus.FORBIDDEN, "forbidden", "Forbidden", detail);
    }

    public static ApiException unauthorized(String code, String detail) {
        return new Simple(HttpStatus.UNAUTHORIZED, code, "Unauthorized", detail);
    }

    private static final class Simple extends ApiException {
        Simple(HttpStatus status, String code, String title, String detail) {
            super(status, code, title, detail);
        }
    }
}
