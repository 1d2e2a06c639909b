package dev.gatehouse.platform;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The platform roles, written here and nowhere else: {@link Permission} grants its rows to them, identity
 * stores a person's roles (the {@code users.roles} check constraint backs the list, and
 * {@code StateColumnsTest} keeps the two equal), access tokens carry them.
 *
 * <p>{@link #SERVICE} is the one role of the product's backend signing in with a service key, and {@link #ORG_KEY}
 * the one of an organization's API key; no person is ever given either, which is why {@link #assignable} is the
 * only way the API reads a role.
 *
 * <p>A named schema in the OpenAPI document rather than an inline enum: openapi-generator's Java client
 * (7.x) does not compile a {@code uniqueItems} array of inline enum values.
 */
@Schema(enumAsRef = true)
public enum PlatformRole {
    /** Everyone signed in. */
    USER,
    SUPPORT,
    ADMIN,
    SUPERADMIN,
    /** The product's backend, with a service key; never held by a person. */
    SERVICE,
    /**
     * An organization's API key ({@code gh_pk_...}) sent as a bearer: it acts for its organization only, with its
     * scopes ({@link Caller#orgId()}, {@link Caller#scopes()}); never held by a person.
     */
    ORG_KEY;

    /** The roles a person can hold: all but {@link #SERVICE} and {@link #ORG_KEY}. */
    public static final Set<PlatformRole> ASSIGNABLE = Set.copyOf(EnumSet.complementOf(EnumSet.of(SERVICE, ORG_KEY)));

    /** The name on the wire, in access tokens and in the database: {@code user}, {@code superadmin}... */
    @JsonValue
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Admins and superadmins: people who act on other people's accounts, and so cannot be impersonated. */
    public boolean privileged() {
        return this == ADMIN || this == SUPERADMIN;
    }

    /**
     * The role with this wire name.
     *
     * @throws IllegalArgumentException naming the accepted values
     */
    public static PlatformRole of(String wire) {
        for (PlatformRole role : values()) {
            if (role.wire().equals(wire)) return role;
        }
        throw new IllegalArgumentException(mustBeOneOf(Set.of(values())));
    }

    /**
     * A role a person can be given, as the API reads one from a request body.
     *
     * @throws IllegalArgumentException naming the accepted values, which the API shows as the field's error
     */
    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    public static PlatformRole assignable(String wire) {
        for (PlatformRole role : ASSIGNABLE) {
            if (role.wire().equals(wire)) return role;
        }
        throw new IllegalArgumentException(mustBeOneOf(ASSIGNABLE));
    }

    private static String mustBeOneOf(Set<PlatformRole> roles) {
        return "Must be one of "
                + Arrays.stream(values())
                        .filter(roles::contains)
                        .map(PlatformRole::wire)
                        .collect(Collectors.joining(", "))
                + ".";
    }
}
