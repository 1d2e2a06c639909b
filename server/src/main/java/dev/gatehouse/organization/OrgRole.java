package dev.gatehouse.organization;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** A member's role in one organization; what each may do is {@link OrgPermission}'s table. */
public enum OrgRole {
    OWNER,
    ADMIN,
    BILLING,
    MEMBER;

    /** The name on the wire and in the database: {@code owner}, {@code admin}, {@code billing}, {@code member}. */
    @JsonValue
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * The role with this wire name.
     *
     * @throws IllegalArgumentException naming the accepted values, which the API shows as the field's error
     */
    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    public static OrgRole of(String wire) {
        for (OrgRole role : values()) {
            if (role.wire().equals(wire)) return role;
        }
        throw new IllegalArgumentException(
                "Must be one of " + Arrays.stream(values()).map(OrgRole::wire).collect(Collectors.joining(", ")) + ".");
    }
}
