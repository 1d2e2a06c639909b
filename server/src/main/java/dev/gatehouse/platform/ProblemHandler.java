package dev.gatehouse.platform;

import jakarta.validation.ConstraintViolationException;
import java.math.BigInteger;
import java.time.temporal.Temporal;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.authorization.AuthorizationDeniedException;
import org.springframework.util.ClassUtils;
import org.springframework.validation.FieldError;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.HandlerMethodValidationException;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.multipart.MaxUploadSizeExceededException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DatabindException;
import tools.jackson.databind.exc.InvalidFormatException;
import tools.jackson.databind.exc.MismatchedInputException;
import tools.jackson.databind.exc.UnrecognizedPropertyException;

/**
 * Turns every failure that reaches Spring MVC into an RFC 9457 problem with a stable type and code.
 * Framework errors (404, 405, 415, malformed JSON, validation) get codes too, so clients never parse text.
 */
@RestControllerAdvice
class ProblemHandler extends ResponseEntityExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ProblemHandler.class);

    @ExceptionHandler(ApiException.class)
    ResponseEntity<Object> api(ApiException e) {
        HttpHeaders headers = new HttpHeaders();
        e.headers().forEach(headers::add);
        return respond(ProblemWriter.problem(e), headers);
    }

    @ExceptionHandler(MethodArgumentTypeMismatchException.class)
    ResponseEntity<Object> typeMismatch(MethodArgumentTypeMismatchException e) {
        return respond(
                ProblemWriter.problem(
                        HttpStatus.BAD_REQUEST,
                        "invalid_parameter",
                        "Invalid parameter",
                        "Parameter '" + e.getName() + "' has an invalid value."),
                new HttpHeaders());
    }

    @ExceptionHandler(ConstraintViolationException.class)
    ResponseEntity<Object> constraint(ConstraintViolationException e) {
        List<Map<String, String>> errors = new ArrayList<>();
        e.getConstraintViolations()
                .forEach(v ->
                        errors.add(javaFieldError(lastNode(v.getPropertyPath().toString()), v.getMessage())));
        return respond(validation(errors), new HttpHeaders());
    }

    @ExceptionHandler({AccessDeniedException.class, AuthorizationDeniedException.class})
    ResponseEntity<Object> denied(Exception e) {
        return respond(
                ProblemWriter.problem(
                        HttpStatus.FORBIDDEN, "forbidden", "Forbidden", "You do not have permission for this action."),
                new HttpHeaders());
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<Object> unhandled(Exception e) {
        // The marker "unhandled_exception" is what CI greps for: the suite must never produce one.
        log.error("unhandled_exception", e);
        return respond(
                ProblemWriter.problem(
                        HttpStatus.INTERNAL_SERVER_ERROR,
                        "internal_error",
                        "Internal error",
                        "Something went wrong on our side. Quote the request id when you report it."),
                new HttpHeaders());
    }

    @Override
    protected @Nullable ResponseEntity<Object> handleMethodArgumentNotValid(
            MethodArgumentNotValidException ex, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        List<Map<String, String>> errors = new ArrayList<>();
        for (FieldError fe : ex.getBindingResult().getFieldErrors()) {
            errors.add(javaFieldError(fe.getField(), fe.getDefaultMessage()));
        }
        ex.getBindingResult().getGlobalErrors().forEach(ge -> errors.add(fieldError("", ge.getDefaultMessage())));
        return respond(validation(errors), new HttpHeaders());
    }

    @Override
    protected @Nullable ResponseEntity<Object> handleHandlerMethodValidationException(
            HandlerMethodValidationException ex, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        List<Map<String, String>> errors = new ArrayList<>();
        ex.getParameterValidationResults()
                .forEach(r -> r.getResolvableErrors()
                        .forEach(err -> errors.add(javaFieldError(
                                r.getMethodParameter().getParameterName() == null
                                        ? ""
                                        : r.getMethodParameter().getParameterName(),
                                err.getDefaultMessage()))));
        return respond(validation(errors), new HttpHeaders());
    }

    @Override
    protected @Nullable ResponseEntity<Object> handleHttpMessageNotReadable(
            HttpMessageNotReadableException ex, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        Throwable cause = readFailure(ex);
        ProblemDetail problem;
        if (cause instanceof BodySizeLimitFilter.BodyTooLarge) {
            // A chunked body crossed the limit while the converter was reading it.
            problem = BodySizeLimitFilter.tooLarge();
        } else if (cause instanceof StrictJsonConfiguration.RefusedText refused) {
            problem = validation(List.of(fieldError(path(refused), refused.reason())));
        } else if (cause instanceof UnrecognizedPropertyException u) {
            problem = validation(List.of(fieldError(path(u), "Unknown field; it is not part of this request.")));
        } else if (cause instanceof InvalidFormatException || cause instanceof MismatchedInputException) {
            DatabindException d = (DatabindException) cause;
            String field = path(d);
            problem = field.isEmpty()
                    ? ProblemWriter.problem(
                            HttpStatus.BAD_REQUEST,
                            "malformed_body",
                            "Malformed request body",
                            "The request body does not have the expected shape (a JSON object).")
                    : validation(List.of(fieldError(field, expected(d))));
        } else if (cause instanceof DatabindException d && !path(d).isEmpty()) {
            // A value object refused the value while being built (it validates on creation).
            Throwable root = ex.getMostSpecificCause();
            String message = root instanceof IllegalArgumentException && root.getMessage() != null
                    ? root.getMessage()
                    : "Is not a valid value.";
            problem = validation(List.of(fieldError(path(d), message)));
        } else if (cause instanceof JacksonException) {
            problem = ProblemWriter.problem(
                    HttpStatus.BAD_REQUEST, "malformed_json", "Malformed JSON", "The request body is not valid JSON.");
        } else {
            problem = ProblemWriter.problem(
                    HttpStatus.BAD_REQUEST,
                    "malformed_body",
                    "Malformed request body",
                    "The request body is missing or cannot be read.");
        }
        return respond(problem, new HttpHeaders());
    }

    @Override
    protected @Nullable ResponseEntity<Object> handleMaxUploadSizeExceededException(
            MaxUploadSizeExceededException ex, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        return respond(BodySizeLimitFilter.tooLarge(), new HttpHeaders());
    }

    /** Framework exceptions that Spring already maps (404, 405, 415, 406...) get our type and code. */
    @Override
    protected ResponseEntity<Object> handleExceptionInternal(
            Exception ex, @Nullable Object body, HttpHeaders headers, HttpStatusCode statusCode, WebRequest request) {
        ProblemDetail source = body instanceof ProblemDetail p ? p : ProblemDetail.forStatus(statusCode);
        String code = codeFor(statusCode);
        ProblemDetail problem = ProblemWriter.problem(
                statusCode,
                code,
                source.getTitle() == null ? code : source.getTitle(),
                source.getDetail() == null ? "The request cannot be served." : source.getDetail());
        return respond(problem, headers);
    }

    /** The stable code for a framework-level status, shared with {@link ProblemErrorController}. */
    static String codeFor(HttpStatusCode status) {
        return switch (status.value()) {
            case 400 -> "bad_request";
            case 404 -> "not_found";
            case 405 -> "method_not_allowed";
            case 406 -> "not_acceptable";
            case 413 -> "payload_too_large";
            case 415 -> "unsupported_media_type";
            case 503 -> "service_unavailable";
            default -> status.is4xxClientError() ? "client_error" : "internal_error";
        };
    }

    static ProblemDetail validation(List<Map<String, String>> errors) {
        ProblemDetail problem = ProblemWriter.problem(
                HttpStatus.BAD_REQUEST,
                "validation_failed",
                "Validation failed",
                "One or more fields are invalid; see errors.");
        problem.setProperty("errors", errors);
        return problem;
    }

    /** A 400 {@code validation_failed} problem about one field, for code outside Spring MVC (filters). */
    static ProblemDetail invalidField(String field, String message) {
        return validation(List.of(fieldError(field, message)));
    }

    /**
     * An error naming the field as the client sent it: Jackson's paths and parameter names already are the
     * wire's names (an unknown {@code refreshToken} must not be reported as the known {@code refresh_token}).
     */
    private static Map<String, String> fieldError(String field, @Nullable String message) {
        return Map.of("field", field, "message", message == null ? "is invalid" : message);
    }

    /** An error naming a Java property (Bean Validation's paths) by its wire name in snake_case. */
    private static Map<String, String> javaFieldError(String property, @Nullable String message) {
        return fieldError(snake(property), message);
    }

    private static String path(DatabindException e) {
        StringBuilder sb = new StringBuilder();
        for (var ref : e.getPath()) {
            if (ref.getPropertyName() != null) {
                if (!sb.isEmpty()) sb.append('.');
                sb.append(ref.getPropertyName());
            } else if (ref.getIndex() >= 0) {
                sb.append('[').append(ref.getIndex()).append(']');
            }
        }
        return sb.toString();
    }

    /**
     * Why the body could not be read: the size limit when it tripped mid-stream, else the outermost Jackson
     * exception (it knows the field; a deeper cause such as a DateTimeParseException does not).
     */
    private static Throwable readFailure(HttpMessageNotReadableException ex) {
        Throwable root = ex.getMostSpecificCause();
        if (root instanceof BodySizeLimitFilter.BodyTooLarge) return root;
        for (Throwable t = ex.getCause(); t != null; t = t.getCause()) {
            if (t instanceof JacksonException) return t;
        }
        return root;
    }

    /**
     * What the field should have held, in JSON terms: the strict input policy ({@link StrictJsonConfiguration})
     * refuses coercions, so the client needs to know which JSON type to send.
     */
    private static String expected(DatabindException e) {
        if (!(e instanceof MismatchedInputException m) || m.getTargetType() == null) {
            return "Wrong type for this field.";
        }
        Class<?> type = ClassUtils.resolvePrimitiveIfNecessary(m.getTargetType());
        String message = m.getOriginalMessage();
        if (message != null && message.startsWith("Cannot map `null`")) return "Must not be null.";
        if (CharSequence.class.isAssignableFrom(type) || type == Character.class) return "Must be a string.";
        if (type == Boolean.class) return "Must be a boolean.";
        if (INTEGERS.contains(type)) return "Must be an integer.";
        if (Number.class.isAssignableFrom(type)) return "Must be a number.";
        if (type.isEnum()) return "Must be one of the documented values.";
        if (Temporal.class.isAssignableFrom(type)) return "Must be an RFC 3339 date or timestamp string.";
        if (type == UUID.class) return "Must be a UUID string.";
        if (type.isArray() || Collection.class.isAssignableFrom(type)) return "Must be an array.";
        return "Must be an object.";
    }

    private static final Set<Class<?>> INTEGERS =
            Set.of(Integer.class, Long.class, Short.class, Byte.class, BigInteger.class);

    private static String lastNode(String propertyPath) {
        int dot = propertyPath.lastIndexOf('.');
        return dot < 0 ? propertyPath : propertyPath.substring(dot + 1);
    }

    /** Field names in errors use the wire's snake_case, not Java's camelCase. */
    static String snake(String name) {
        return name.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase(java.util.Locale.ROOT);
    }

    private static ResponseEntity<Object> respond(ProblemDetail problem, HttpHeaders headers) {
        HttpHeaders out = new HttpHeaders();
        out.addAll(headers);
        out.setContentType(MediaType.APPLICATION_PROBLEM_JSON);
        return new ResponseEntity<>(ProblemWriter.body(problem), out, problem.getStatus());
    }
}
