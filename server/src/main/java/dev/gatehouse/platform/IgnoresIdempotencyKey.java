package dev.gatehouse.platform;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A POST route (the handler method, or every route of its controller) on which {@code Idempotency-Key} is
 * ignored by the platform: nothing of its requests or responses is stored by the filter, not even the request's
 * fingerprint. The route's own module declares it, for one of three reasons; the platform's idempotency filter
 * only reads it.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD, ElementType.TYPE})
public @interface IgnoresIdempotencyKey {

    Reason value();

    enum Reason {
        /**
         * Its request or response holds a credential (a password, a code, a token, a TOTP secret), which must
         * never be stored; the unsalted fingerprint of a request would let a stolen table be searched for a
         * password. Such routes must be safe to retry as they are (single-use tokens, answers that reveal
         * nothing, a second token as good as the first).
         */
        CARRIES_CREDENTIALS,

        /**
         * It only reads (it takes a body a GET could not): there is nothing to make idempotent, a stored answer
         * replayed later could be stale (a "valid" after a revocation), and storing one per call would add a
         * write to a read path.
         */
        READ_ONLY,

        /**
         * The route keeps the key itself, in the transaction that makes its effect (a quota consumption): the
         * effect and the stored answer commit together or not at all. The filter's claim, committed before the
         * handler runs and completed after it, would leave a window where a node dying after the effect's commit
         * lets a retry run the effect again. Such a route implements the same semantics (replay, 422 for another
         * request under the key) and documents it.
         */
        KEPT_WITH_THE_EFFECT
    }
}
