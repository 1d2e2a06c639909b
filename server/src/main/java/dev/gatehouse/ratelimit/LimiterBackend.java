package dev.gatehouse.ratelimit;

import java.util.Collection;
import org.jspecify.annotations.Nullable;

/**
 * Where the limiter keeps each subject's state: this node's memory, or Redis shared by every node. Both decide
 * with {@link Gcra}'s arithmetic, atomically per subject and policy; a contract suite runs against both.
 */
interface LimiterBackend {

    /** Decides (and, when admitted, counts) {@code cost} units for the subject under the policy at {@code now}. */
    RateLimitDecision decide(String subject, Policy policy, long cost, long nowMicros);

    /**
     * True for the first breach of a subject under a policy in each {@code intervalMicros}, on every node
     * together: which breaches are sampled into the audit log.
     */
    boolean firstBreach(String subject, Policy policy, long nowMicros, long intervalMicros);

    /** Forgets the subject under each policy; returns how many policies had state for it. */
    long clear(String subject, Collection<Policy> policies);

    /** {@code memory} or {@code redis}: for metrics, health and logs. */
    String name();

    /** Thrown by a backend that cannot decide now (Redis unreachable or too slow). */
    final class Unavailable extends RuntimeException {
        Unavailable(String message, @Nullable Throwable cause) {
            super(message, cause, /* enableSuppression= */ false, /* writableStackTrace= */ false);
        }
    }
}
