package dev.gatehouse.client.flags;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * What a flag is evaluated for: the standard fields and free-form properties. Every field may be absent (null).
 * Constraints, stickiness and variant overrides name a field by its standard name ({@link #FIELDS}) or by a
 * property name; a standard name always means the standard field.
 *
 * @param currentTime an ISO-8601 instant for date constraints; when absent the engine's clock is used
 * @param plan the organization's plan key, for plan targeting
 * @param properties any other fields, by name (values are strings, as in Unleash)
 */
public record FlagContext(
        String userId,
        String orgId,
        String sessionId,
        String remoteAddress,
        String environment,
        String appName,
        String currentTime,
        String plan,
        String country,
        String market,
        Map<String, String> properties) {

    public static final String USER_ID = "user_id";
    public static final String ORG_ID = "org_id";
    public static final String SESSION_ID = "session_id";
    public static final String REMOTE_ADDRESS = "remote_address";
    public static final String ENVIRONMENT = "environment";
    public static final String APP_NAME = "app_name";
    public static final String CURRENT_TIME = "current_time";
    public static final String PLAN = "plan";
    public static final String COUNTRY = "country";
    public static final String MARKET = "market";

    /** The standard field names, in the order of the record's components. */
    public static final Set<String> FIELDS = Set.of(
            USER_ID, ORG_ID, SESSION_ID, REMOTE_ADDRESS, ENVIRONMENT, APP_NAME, CURRENT_TIME, PLAN, COUNTRY, MARKET);

    public static final FlagContext EMPTY = builder().build();

    public FlagContext {
        properties = properties == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(properties));
    }

    /** The value of a standard field or, for any other name, of the property; null when absent. */
    public String get(String field) {
        switch (field) {
            case USER_ID:
                return userId;
            case ORG_ID:
                return orgId;
            case SESSION_ID:
                return sessionId;
            case REMOTE_ADDRESS:
                return remoteAddress;
            case ENVIRONMENT:
                return environment;
            case APP_NAME:
                return appName;
            case CURRENT_TIME:
                return currentTime;
            case PLAN:
                return plan;
            case COUNTRY:
                return country;
            case MARKET:
                return market;
            default:
                return properties.get(field);
        }
    }

    public Builder toBuilder() {
        Builder b = new Builder();
        b.userId = userId;
        b.orgId = orgId;
        b.sessionId = sessionId;
        b.remoteAddress = remoteAddress;
        b.environment = environment;
        b.appName = appName;
        b.currentTime = currentTime;
        b.plan = plan;
        b.country = country;
        b.market = market;
        b.properties.putAll(properties);
        return b;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Builds a context; {@link #set} takes standard names and property names alike. */
    public static final class Builder {
        private String userId;
        private String orgId;
        private String sessionId;
        private String remoteAddress;
        private String environment;
        private String appName;
        private String currentTime;
        private String plan;
        private String country;
        private String market;
        private final Map<String, String> properties = new LinkedHashMap<>();

        private Builder() {}

        public Builder userId(String v) {
            userId = v;
            return this;
        }

        public Builder orgId(String v) {
            orgId = v;
            return this;
        }

        public Builder plan(String v) {
            plan = v;
            return this;
        }

        /** Sets a standard field by its name, or a property; null clears it. */
        public Builder set(String field, String value) {
            Objects.requireNonNull(field, "field");
            switch (field) {
                case USER_ID -> userId = value;
                case ORG_ID -> orgId = value;
                case SESSION_ID -> sessionId = value;
                case REMOTE_ADDRESS -> remoteAddress = value;
                case ENVIRONMENT -> environment = value;
                case APP_NAME -> appName = value;
                case CURRENT_TIME -> currentTime = value;
                case PLAN -> plan = value;
                case COUNTRY -> country = value;
                case MARKET -> market = value;
                default -> {
                    if (value == null) properties.remove(field);
                    else properties.put(field, value);
                }
            }
            return this;
        }

        public FlagContext build() {
            return new FlagContext(
                    userId,
                    orgId,
                    sessionId,
                    remoteAddress,
                    environment,
                    appName,
                    currentTime,
                    plan,
                    country,
                    market,
                    properties);
        }
    }
}
