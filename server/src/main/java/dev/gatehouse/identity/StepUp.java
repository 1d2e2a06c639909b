package dev.gatehouse.identity;

import dev.gatehouse.platform.Caller;

/**
 * Step-up authentication for sensitive actions (disabling two-factor sign-in, new recovery codes,
 * changing the email address, and later API keys and the like): the caller's session must have proven
 * its user recently, at sign-in or with {@code POST /api/v1/me/step-up}, within
 * {@code gatehouse.auth.step-up-max-age} (10 minutes by default). A stolen access token alone is then
 * not enough to take over the account.
 *
 * <p>Call it at the start of the action, before changing anything.
 */
public interface StepUp {

    /**
     * Returns when the caller's session proved itself recently enough; otherwise throws a 403
     * {@code step_up_required} problem (with {@code max_age_seconds}) telling the client to step up and
     * retry. Callers without a session, and impersonation tokens, can never pass; a session that has
     * ended gets 401 {@code session_revoked}.
     */
    void require(Caller caller);
}
