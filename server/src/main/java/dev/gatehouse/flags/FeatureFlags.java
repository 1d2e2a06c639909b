package dev.gatehouse.flags;

import dev.gatehouse.client.flags.Evaluation;
import dev.gatehouse.client.flags.FlagContext;

/**
 * The flags module's API for other modules (onboarding's gates, for instance): evaluation on this node's copy of
 * the flags, never a database query while the change feed is fresh. A killed flag is off.
 */
public interface FeatureFlags {

    /** The flag for the context; an unknown flag is off. */
    Evaluation evaluate(String key, FlagContext context);

    default boolean isEnabled(String key, FlagContext context) {
        return evaluate(key, context).enabled();
    }

    /** Whether the kill switch of this name (a flag's key, or {@code global}) is on. */
    boolean killSwitchActive(String name);
}
