package dev.gatehouse.platform;

import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.slf4j.MDC;

/** The current request id: read from the MDC, where {@link RequestIdFilter} puts it for each request. */
public final class RequestIds {

    public static final String HEADER = "X-Request-Id";
    public static final String MDC_KEY = "request_id";

    /** Caller-supplied ids are echoed only when short and plain, so they cannot inject into logs. */
    private static final Pattern ACCEPTED = Pattern.compile("[A-Za-z0-9._:-]{1,128}");

    private RequestIds() {}

    public static @Nullable String current() {
        return MDC.get(MDC_KEY);
    }

    static boolean acceptable(@Nullable String candidate) {
        return candidate != null && ACCEPTED.matcher(candidate).matches();
    }
}
