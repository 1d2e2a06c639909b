package dev.gatehouse.platform;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a v1 route (a handler method, or every route of a controller) as deprecated. Its responses then
 * carry {@code Deprecation} (RFC 9745), {@code Sunset} (RFC 8594) and a {@code Link} with
 * {@code rel="deprecation"} to the changelog, and the OpenAPI document flags the operation. Dates are
 * ISO {@code yyyy-MM-dd}, meaning midnight UTC; a malformed date stops the application at startup.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD, ElementType.TYPE})
public @interface DeprecatedRoute {

    /** The day after which the route may stop answering. */
    String sunset();

    /** The day the route was deprecated; when empty the header is {@code Deprecation: true}. */
    String since() default "";

    /** Where to read about the replacement; empty means {@code gatehouse.api.changelog-url}. */
    String link() default "";
}
