package dev.gatehouse.identity;

import dev.gatehouse.platform.Caller;
import dev.gatehouse.platform.RequestIds;
import java.time.Clock;
import java.time.Instant;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * {@link StepUp} on sessions: a session remembers when it last proved its user ({@code
 * sessions.authenticated_at}; the sign-in that opened it counts as the first proof), and a step-up
 * refreshes that.
 *
 * <p>What counts as proof depends on the account: the password while two-factor sign-in is off; a code
 * from the authenticator app (or a recovery code) while it is on. The code alone suffices then: it is
 * the factor bound to the user's device, which a thief of the session's tokens does not have, and
 * asking for both would only train people to type their password into more forms.
 *
 * <p>Wrong proofs are counted per session; after {@code gatehouse.auth.mfa.max-attempts} in a row the
 * session ends, so a stolen access token cannot be used to guess six-digit codes.
 */
@Service
class SessionStepUp implements StepUp {

    private static final Logger log = LoggerFactory.getLogger(SessionStepUp.class);

    record Proven(Instant authenticatedAt, Instant expiresAt) {}

    private sealed interface Outcome {
        record Passed(Proven proven) implements Outcome {}

        record Rejected(RuntimeException problem) implements Outcome {}
    }

    private final Sessions sessions;
    private final Users users;
    private final PasswordHasher hasher;
    private final TwoFactor twoFactor;
    private final AuthSettings settings;
    private final Clock clock;
    private final TransactionTemplate tx;
    private final ApplicationEventPublisher events;

    SessionStepUp(
            Sessions sessions,
            Users users,
            PasswordHasher hasher,
            TwoFactor twoFactor,
            AuthSettings settings,
            Clock clock,
            TransactionTemplate tx,
            ApplicationEventPublisher events) {
        this.sessions = sessions;
        this.users = users;
        this.hasher = hasher;
        this.twoFactor = twoFactor;
        this.settings = settings;
        this.clock = clock;
        this.tx = tx;
        this.events = events;
    }

    @Override
    public void require(Caller caller) {
        UUID sessionId = ownSession(caller);
        Instant now = clock.instant();
        Instant proven = sessions.provenAt(sessionId, caller.userId(), now);
        if (proven == null) throw IdentityFailures.sessionRevoked();
        if (proven.plus(settings.stepUpMaxAge()).isBefore(now)) {
            throw IdentityFailures.stepUpRequired(settings.stepUpMaxAge());
        }
    }

    /** Proves the caller's session again with exactly one of the three (the controller checks). */
    Proven prove(Caller caller, @Nullable String password, @Nullable String code, @Nullable String recoveryCode) {
        UUID sessionId = ownSession(caller);
        UUID userId = caller.userId();
        ProofMethod method =
                password != null ? ProofMethod.PASSWORD : code != null ? ProofMethod.TOTP : ProofMethod.RECOVERY_CODE;
        // The password is checked before the transaction (Argon2 is slow) and the hash compared in it.
        String checkedHash = null;
        boolean passwordMatches = false;
        if (password != null) {
            User user = users.byId(userId).orElseThrow(IdentityFailures::sessionRevoked);
            if (user.mfaEnabled()) throw IdentityFailures.mfaCodeRequired();
            checkedHash = user.passwordHash();
            passwordMatches = hasher.matches(password, checkedHash);
        }
        String hashAtCheck = checkedHash;
        boolean matched = passwordMatches;
        Outcome outcome = tx.execute(status -> {
            Instant now = clock.instant();
            User current = users.lock(userId).orElse(null);
            if (current == null || sessions.provenAt(sessionId, userId, now) == null) {
                return new Outcome.Rejected(IdentityFailures.sessionRevoked());
            }
            String currentHash = current.passwordHash();
            boolean mfa = current.mfaEnabled();
            boolean ok;
            if (method == ProofMethod.PASSWORD) {
                if (mfa) return new Outcome.Rejected(IdentityFailures.mfaCodeRequired());
                ok = matched && currentHash.equals(hashAtCheck);
            } else {
                if (!mfa) return new Outcome.Rejected(IdentityFailures.mfaNotEnabled());
                ok = code != null
                        ? twoFactor.acceptCode(userId, code, now)
                        : recoveryCode != null && twoFactor.acceptRecoveryCode(userId, recoveryCode, now);
            }
            if (!ok) return failed(userId, sessionId, method, now);
            sessions.markProven(sessionId, now);
            events.publishEvent(new StepUpPassed(userId, sessionId, method, RequestIds.current(), now));
            return new Outcome.Passed(new Proven(now, now.plus(settings.stepUpMaxAge())));
        });
        return switch (outcome) {
            case Outcome.Passed passed -> passed.proven();
            case Outcome.Rejected rejected -> throw rejected.problem();
        };
    }

    private Outcome failed(UUID userId, UUID sessionId, ProofMethod method, Instant now) {
        int failures = sessions.recordStepUpFailure(sessionId);
        boolean revoke = failures >= settings.mfa().maxAttempts();
        if (revoke) sessions.revoke(sessionId, now, RevokeReason.STEP_UP_FAILURES);
        events.publishEvent(new StepUpFailed(userId, sessionId, method, failures, revoke, RequestIds.current(), now));
        log.warn(
                "step_up_failed session_id={} method={} failures={} session_revoked={}",
                sessionId,
                method,
                failures,
                revoke);
        if (revoke) return new Outcome.Rejected(IdentityFailures.sessionRevoked());
        return new Outcome.Rejected(
                method == ProofMethod.PASSWORD
                        ? IdentityFailures.wrongPassword()
                        : IdentityFailures.mfaCodeInvalid(/* signIn= */ false));
    }

    /** The caller's own session. Impersonation tokens and tokens without a session can never step up. */
    private static UUID ownSession(Caller caller) {
        UUID sessionId = caller.sessionId();
        if (sessionId == null || caller.actorId() != null) throw IdentityFailures.stepUpUnavailable();
        return sessionId;
    }
}
