package dev.gatehouse.platform;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * The boundary for what a request carries besides its JSON body, run before authentication.
 *
 * <p>Query strings and form bodies ({@code application/x-www-form-urlencoded}, whatever the method) have
 * one parser, this one: every name and value is strictly percent-decoded as UTF-8 and meets
 * {@link InputText}'s rule, or the request is refused with 400 {@code validation_failed} naming the
 * parameter. Handlers then read the parameters parsed here, so the container's lenient parser (which
 * throws from deep inside a handler on a bad escape) and Spring's form filter for PUT, PATCH and DELETE
 * (which answered 500 on one) never see the request; {@code spring.mvc.formcontent.filter.enabled} is off.
 * The syntax is the container's: pairs split on {@code &}, the name ends at the first {@code =}, a pair
 * without one has the empty value, {@code +} is a space, a pair with an empty name is skipped, and query
 * parameters come before body parameters of the same name.
 *
 * <p>A {@code Content-Type} with a wildcard ({@code *&#47;*}, {@code application/*}) names no type a body
 * can have; it is refused with 415 here, where Spring MVC would fail on it while reading the body.
 *
 * <p>Ordered after {@link BodySizeLimitFilter}, which bounds the form body read here.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 20)
class StrictInputFilter extends OncePerRequestFilter {

    /** Tomcat's default {@code maxParameterCount}: more is refused rather than parsed. */
    static final int MAX_PARAMETERS = 1000;

    /** A refused name is echoed in the problem, cut to this length. */
    private static final int MAX_ECHOED_NAME = 100;

    private final ProblemWriter problems;

    StrictInputFilter(ProblemWriter problems) {
        this.problems = problems;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String contentType = request.getContentType();
        if (contentType != null && isWildcard(contentType)) {
            problems.write(
                    response,
                    ProblemWriter.problem(
                            HttpStatus.UNSUPPORTED_MEDIA_TYPE,
                            "unsupported_media_type",
                            "Unsupported Media Type",
                            "Content-Type must name one media type, such as application/json, not a wildcard."));
            return;
        }
        String query = request.getQueryString();
        boolean form = isForm(contentType);
        if (query == null && !form) {
            chain.doFilter(request, response);
            return;
        }
        Map<String, List<String>> parameters = new LinkedHashMap<>();
        byte[] body = null;
        try {
            if (query != null) parse(query.getBytes(StandardCharsets.UTF_8), parameters);
            if (form) {
                // Over-long bodies fail here with BodySizeLimitFilter's exception, which it turns into a 413.
                body = request.getInputStream().readAllBytes();
                parse(body, parameters);
            }
        } catch (InvalidParameter e) {
            problems.write(response, e.problem());
            return;
        }
        HttpServletRequest next = body == null ? request : new CachedBodyRequest(request, body);
        chain.doFilter(new ParsedParameters(next, parameters), response);
    }

    static boolean isWildcard(String contentType) {
        try {
            MediaType type = MediaType.parseMediaType(contentType);
            return type.isWildcardType() || type.isWildcardSubtype();
        } catch (InvalidMediaTypeException e) {
            return false; // Spring MVC refuses it with 415 where a body is read, and ignores it elsewhere
        }
    }

    static boolean isForm(@Nullable String contentType) {
        if (contentType == null) return false;
        int end = contentType.indexOf(';');
        String type = (end < 0 ? contentType : contentType.substring(0, end)).trim();
        return type.equalsIgnoreCase("application/x-www-form-urlencoded");
    }

    /** Adds the {@code name=value&...} pairs of {@code raw} to {@code into}, strictly decoded. */
    static void parse(byte[] raw, Map<String, List<String>> into) throws InvalidParameter {
        int count = into.values().stream().mapToInt(List::size).sum();
        for (int start = 0; start <= raw.length; ) {
            int end = indexOf(raw, (byte) '&', start, raw.length);
            int equals = indexOf(raw, (byte) '=', start, end);
            if (end > start) {
                String name;
                try {
                    name = InputText.decode(raw, start, equals, /* plusIsSpace= */ true);
                } catch (InputText.Refused e) {
                    throw new InvalidParameter(echo(raw, start, equals), e.getMessage());
                }
                if (!name.isEmpty()) {
                    if (++count > MAX_PARAMETERS) throw InvalidParameter.tooMany();
                    String value;
                    try {
                        value = equals < end ? InputText.decode(raw, equals + 1, end, /* plusIsSpace= */ true) : "";
                    } catch (InputText.Refused e) {
                        throw new InvalidParameter(echo(name), e.getMessage());
                    }
                    into.computeIfAbsent(name, n -> new ArrayList<>(1)).add(value);
                }
            }
            start = end + 1;
        }
    }

    private static int indexOf(byte[] raw, byte b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (raw[i] == b) return i;
        }
        return to;
    }

    private static String echo(byte[] raw, int from, int to) {
        return echo(new String(raw, from, to - from, StandardCharsets.ISO_8859_1));
    }

    private static String echo(String name) {
        return name.length() <= MAX_ECHOED_NAME ? name : name.substring(0, MAX_ECHOED_NAME) + "…";
    }

    /** A parameter that cannot be decoded or breaks the rule, or too many of them. */
    static final class InvalidParameter extends Exception {
        private final transient @Nullable String name;

        InvalidParameter(@Nullable String name, @Nullable String reason) {
            super(reason, null, /* enableSuppression= */ false, /* writableStackTrace= */ false);
            this.name = name;
        }

        static InvalidParameter tooMany() {
            return new InvalidParameter(null, "More than " + MAX_PARAMETERS + " query and form parameters.");
        }

        ProblemDetail problem() {
            String reason = getMessage() == null ? InputText.CONTROL_CHARACTER : getMessage();
            if (name == null) {
                return ProblemWriter.problem(
                        HttpStatus.BAD_REQUEST, "too_many_parameters", "Too many parameters", reason);
            }
            return ProblemHandler.invalidField(name, reason);
        }
    }

    /** The request with its parameters as parsed here, for {@code getParameter} and its siblings. */
    private static final class ParsedParameters extends HttpServletRequestWrapper {
        private final Map<String, String[]> parameters;

        ParsedParameters(HttpServletRequest request, Map<String, List<String>> parsed) {
            super(request);
            Map<String, String[]> map = new LinkedHashMap<>();
            parsed.forEach((name, values) -> map.put(name, values.toArray(String[]::new)));
            this.parameters = Collections.unmodifiableMap(map);
        }

        @Override
        public @Nullable String getParameter(String name) {
            String[] values = parameters.get(name);
            return values == null ? null : values[0];
        }

        @Override
        public Map<String, String[]> getParameterMap() {
            return parameters;
        }

        @Override
        public Enumeration<String> getParameterNames() {
            return Collections.enumeration(parameters.keySet());
        }

        @Override
        public String @Nullable [] getParameterValues(String name) {
            String[] values = parameters.get(name);
            return values == null ? null : values.clone();
        }
    }
}
