package dev.gatehouse.platform;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.lang.reflect.Method;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;
import org.springframework.context.ApplicationContext;
import org.springframework.context.event.ContextRefreshedEvent;
import org.springframework.context.event.EventListener;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.http.HttpHeaders;
import org.springframework.stereotype.Component;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.HandlerInterceptor;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

/**
 * Adds the deprecation headers of {@link DeprecatedRoute} to the responses of the routes carrying it:
 * {@code Deprecation: @<epoch seconds>} (RFC 9745 structured date; {@code true}, the form of the drafts
 * before it, when no date is given), {@code Sunset: <HTTP-date>} (RFC 8594) and
 * {@code Link: <changelog>; rel="deprecation"}. Headers are computed once per handler method.
 */
@Component
class DeprecationInterceptor implements HandlerInterceptor {

    /** RFC 9110 IMF-fixdate; {@code RFC_1123_DATE_TIME} would print one-digit days, which it forbids. */
    private static final DateTimeFormatter HTTP_DATE = DateTimeFormatter.ofPattern(
                    "EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US)
            .withZone(ZoneOffset.UTC);

    private final String changelog;
    private final Map<Method, Optional<Headers>> byMethod = new ConcurrentHashMap<>();

    DeprecationInterceptor(ApiSettings api, HttpSettings http) {
        this.changelog = api.changelog(http);
    }

    record Headers(String deprecation, String sunset, String link) {}

    @Override
    public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
        if (handler instanceof HandlerMethod method) {
            headersFor(method).ifPresent(h -> {
                response.setHeader("Deprecation", h.deprecation());
                response.setHeader("Sunset", h.sunset());
                response.addHeader(HttpHeaders.LINK, h.link());
            });
        }
        return true;
    }

    /** Parses every route's annotation at startup, so a malformed date fails the boot, not a request. */
    @EventListener
    void validateAll(ContextRefreshedEvent event) {
        ApplicationContext context = event.getApplicationContext();
        context.getBeansOfType(RequestMappingHandlerMapping.class)
                .values()
                .forEach(mapping -> mapping.getHandlerMethods().values().forEach(this::headersFor));
    }

    Optional<Headers> headersFor(HandlerMethod method) {
        return byMethod.computeIfAbsent(
                method.getMethod(), m -> Optional.ofNullable(annotation(method)).map(a -> headers(a, m)));
    }

    private static @Nullable DeprecatedRoute annotation(HandlerMethod method) {
        DeprecatedRoute onMethod =
                AnnotatedElementUtils.findMergedAnnotation(method.getMethod(), DeprecatedRoute.class);
        return onMethod != null
                ? onMethod
                : AnnotatedElementUtils.findMergedAnnotation(method.getBeanType(), DeprecatedRoute.class);
    }

    private Headers headers(DeprecatedRoute route, Method method) {
        String deprecation = route.since().isEmpty()
                ? "true"
                : "@"
                        + day(route.since(), "since", method)
                                .atStartOfDay(ZoneOffset.UTC)
                                .toEpochSecond();
        String sunset = HTTP_DATE.format(day(route.sunset(), "sunset", method).atStartOfDay(ZoneOffset.UTC));
        String target = route.link().isEmpty() ? changelog : route.link();
        return new Headers(deprecation, sunset, "<" + target + ">; rel=\"deprecation\"");
    }

    private static LocalDate day(String value, String attribute, Method method) {
        try {
            return LocalDate.parse(value);
        } catch (DateTimeParseException e) {
            throw new IllegalStateException(
                    "@DeprecatedRoute(" + attribute + " = \"" + value + "\") on " + method
                            + " is not an ISO date (yyyy-MM-dd)",
                    e);
        }
    }

    /** For the OpenAPI document: the sunset HTTP-date of a deprecated handler, if it is one. */
    Optional<String> sunsetOf(HandlerMethod method) {
        return headersFor(method).map(Headers::sunset);
    }
}
