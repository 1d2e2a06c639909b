package dev.gatehouse.platform;

import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;

/**
 * A failure the caller can act on, rendered as an RFC 9457 problem with a stable {@code type} URI and
 * machine {@code code}. Modules subclass it with names that state the fact ({@code EmailNotVerified}).
 */
public abstract class ApiException extends RuntimeException {

    private final HttpStatus status;
    private final String code;
    private final String title;
    private final Map<String, @Nullable Object> properties;

    protected ApiException(HttpStatus status, String code, String title, String detail) {
        this(status, code, title, detail, Map.of());
    }

    /** With extra members for the problem body, such as the limit that was reached. */
    protected ApiException(
            HttpStatus status, String code, String title, String detail, Map<String, @Nullable Object> properties) {
        super(detail, null, /* enableSuppression= */ false, /* writableStackTrace= */ false);
        this.status = status;
        this.code = code;
        this.title = title;
        this.properties = properties;
    }

    public HttpStatus status() {
        return status;
    }

    public String code() {
        return code;
    }

    public String title() {
        return title;
    }

    public String detail() {
        String message = getMessage();
        return message == null ? title : message;
    }

    /** Extra members for the problem body (e.g. {@code mfa_token}); empty by default. */
    public Map<String, @Nullable Object> properties() {
        return properties;
    }

    /** Response headers that belong to this problem (e.g. {@code Retry-After}); empty by default. */
    public Map<String, String> headers() {
        return Map.of();
    }
}
