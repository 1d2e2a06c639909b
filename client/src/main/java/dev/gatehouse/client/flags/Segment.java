package dev.gatehouse.client.flags;

import java.util.List;

/** A named, reusable list of constraints that strategies refer to by name; all must hold. */
public record Segment(String name, String description, List<Constraint> constraints) {

    public Segment {
        Checks.key(name, "segment name");
        if (description != null && description.length() > 1000) {
            throw new IllegalArgumentException("segment description must be at most 1000 characters");
        }
        constraints = Checks.list(constraints, "constraints");
    }
}
