package dev.gatehouse.catalog;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** What a rate-limit policy counts requests by. */
public enum RateLimitScope {
    IP,
    USER,
    ORG,
    API_KEY,
    ROUTE_GROUP;

    /** The name in plans.yml and on the wire. */
    @JsonValue
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }
}
