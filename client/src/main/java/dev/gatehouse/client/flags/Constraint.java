package dev.gatehouse.client.flags;

import java.util.List;

/**
 * A condition on one context field. {@code inverted} negates the result; {@code caseInsensitive} applies to the
 * string operators (IN, NOT_IN and STR_*). A value that does not parse for its operator (a number, a date, a
 * semantic version, a regular expression) makes the constraint false whatever {@code inverted} says, as in
 * Unleash; {@link #validate} refuses such values where a person writes them.
 *
 * @param values for the list operators (empty otherwise)
 * @param value for the single-value operators (null otherwise)
 */
public record Constraint(
        String contextName,
        Operator operator,
        List<String> values,
        String value,
        boolean inverted,
        boolean caseInsensitive) {

    public Constraint {
        Checks.text(contextName, "context_name", 100);
        if (operator == null) throw new IllegalArgumentException("operator is required");
        values = Checks.list(values, "values");
        if (operator.takesList() && value != null) {
            throw new IllegalArgumentException(operator + " takes values (a list), not value");
        }
        if (!operator.takesList() && !values.isEmpty()) {
            throw new IllegalArgumentException(operator + " takes one value, not values");
        }
        if (!operator.takesList() && value == null) {
            throw new IllegalArgumentException(operator + " needs a value");
        }
    }

    public static Constraint of(String contextName, Operator operator, List<String> values) {
        return new Constraint(contextName, operator, values, null, false, false);
    }

    public static Constraint of(String contextName, Operator operator, String value) {
        return new Constraint(contextName, operator, List.of(), value, false, false);
    }

    /**
     * Refuses a value that could never match because it does not parse for the operator, naming why; the admin
     * API calls it so that a typo is an error rather than a constraint that is silently never true.
     */
    public Constraint validate() {
        String problem = Matchers.problem(this);
        if (problem != null) throw new IllegalArgumentException(problem);
        return this;
    }
}
