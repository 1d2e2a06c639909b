package dev.gatehouse.client.flags;

/**
 * Constraint operators, named as in Unleash. The list operators take {@code values}; the others take one
 * {@code value}.
 */
public enum Operator {
    IN(true),
    NOT_IN(true),
    STR_CONTAINS(true),
    STR_STARTS_WITH(true),
    STR_ENDS_WITH(true),
    NUM_EQ(false),
    NUM_GT(false),
    NUM_GTE(false),
    NUM_LT(false),
    NUM_LTE(false),
    DATE_AFTER(false),
    DATE_BEFORE(false),
    SEMVER_EQ(false),
    SEMVER_GT(false),
    SEMVER_GTE(false),
    SEMVER_LT(false),
    SEMVER_LTE(false),
    REGEX(false),
    IN_CIDR(true);

    private final boolean takesList;

    Operator(boolean takesList) {
        this.takesList = takesList;
    }

    /** Whether it compares against {@code values} (a list) rather than one {@code value}. */
    public boolean takesList() {
        return takesList;
    }

    /** The operator with this name, or null when there is none (an Unleash document may hold newer ones). */
    public static Operator byName(String name) {
        for (Operator o : values()) if (o.name().equals(name)) return o;
        return null;
    }
}
