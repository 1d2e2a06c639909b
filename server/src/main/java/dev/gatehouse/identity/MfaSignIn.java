package dev.gatehouse.identity;

import dev.gatehouse.identity.mfa.MfaChallenges;
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
 * The second step of a sign-in with two-factor authentication: the {@code mfa_token} from the password
 * step plus a TOTP code or a recovery code open a session, exactly as a password login without 2FA does.
 *
 * <p>The token is locked for the decision, so attempts with one token go one at a time; wrong codes are
 * counted on it and the last allowed one spends it. It works only while the password it was issued
 * for is still the account's password (a reset or change in between voids it), the account is active
 * and two-factor sign-in is still on.
 */
@Service
class MfaSignIn {

    private static final Logger log = LoggerFactory.getLogger(MfaSignIn.class);

    private sealed interface Outcome {
        record Opened(SignIn.Tokens tokens, String email) implements Outcome {}

        record Rejected(RuntimeException problem) implements Outcome {}

        /** A wrong second factor: it also counts against the account's brute-force limit. */
        record WrongFactor(String email, UUID userId, RuntimeException problem) implements Outcome {}
    }

    private final MfaChallenges challenges;
    private final Users users;
    private final TwoFactor twoFactor;
    private final SignIn signIn;
    private final AuthSettings settings;
    private final Clock clock;
    private final TransactionTemplate tx;
    private final ApplicationEventPublisher events;
    private final SignInThrottle throttle;

    MfaSignIn(
            MfaChallenges challenges,
            Users users,
            TwoFactor twoFactor,
            SignIn signIn,
            AuthSettings settings,
            Clock clock,
            TransactionTemplate tx,
            ApplicationEventPublisher events,
            SignInThrottle throttle) {
        this.challenges = challenges;
        this.users = users;
        this.twoFactor = twoFactor;
        this.signIn = signIn;
        this.settings = settings;
        this.clock = clock;
        this.tx = tx;
        this.events = events;
        this.throttle = throttle;
    }

    /** Exactly one of {@code code} and {@code recoveryCode} is set (the controller checks). */
    SignIn.Tokens complete(
            String mfaToken, @Nullable String code, @Nullable String recoveryCode, SignIn.Device device) {
        if (!mfaToken.startsWith(MfaChallenges.PREFIX)) throw IdentityFailures.mfaTokenInvalid();
        // Decide inside the transaction, throw after it: a counted wrong attempt must commit.
        Outcome outcome = tx.execute(status -> decide(mfaToken, code, recoveryCode, device));
        return switch (outcome) {
            case Outcome.Opened opened -> {
                throttle.succeeded(SignInThrottle.key(SignInThrottle.Kind.LOGIN_ACCOUNT, opened.email()));
                yield opened.tokens();
            }
            case Outcome.Rejected rejected -> throw rejected.problem();
            case Outcome.WrongFactor wrong -> {
                throttle.loginFailed(wrong.email(), device.ip(), wrong.userId(), SignInFailed.Reason.INVALID_MFA_CODE);
                throw wrong.problem();
            }
        };
    }

    private Outcome decide(
            String mfaToken, @Nullable String code, @Nullable String recoveryCode, SignIn.Device device) {
        Instant now = clock.instant();
        MfaChallenges.Challenge challenge = challenges.lock(mfaToken);
        if (challenge == null
                || challenge.spentAt() != null
                || !challenge.expiresAt().isAfter(now)) {
            return new Outcome.Rejected(IdentityFailures.mfaTokenInvalid());
        }
        UUID userId = challenge.userId();
        // The user's row lock orders us against a password reset or change and against 2FA changes.
        User user = users.lock(userId).orElse(null);
        if (user == null || !MfaChallenges.sameDigest(challenge.passwordDigest(), user.passwordHash())) {
            challenges.spend(challenge, now);
            return new Outcome.Rejected(IdentityFailures.mfaTokenInvalid());
        }
        if (!user.active()) {
            challenges.spend(challenge, now);
            return new Outcome.Rejected(IdentityFailures.accountSuspended());
        }
        if (!user.mfaEnabled()) {
            // Turned off since the password step: that step did not open a session, so neither do we.
            challenges.spend(challenge, now);
            return new Outcome.Rejected(IdentityFailures.mfaTokenInvalid());
        }
        ProofMethod method = code != null ? ProofMethod.TOTP : ProofMethod.RECOVERY_CODE;
        boolean accepted = code != null
                ? twoFactor.acceptCode(userId, code, now)
                : recoveryCode != null && twoFactor.acceptRecoveryCode(userId, recoveryCode, now);
        if (!accepted) {
            int max = settings.mfa().maxAttempts();
            int attempts = challenges.fail(challenge, max, now);
            boolean spent = attempts >= max;
            events.publishEvent(
                    new MfaChallengeFailed(userId, method, attempts, spent, device.ip(), RequestIds.current(), now));
            log.warn("mfa_challenge_failed user_id={} method={} attempts={} spent={}", userId, method, attempts, spent);
            return new Outcome.WrongFactor(user.email(), userId, IdentityFailures.mfaCodeInvalid(/* signIn= */ true));
        }
        challenges.spend(challenge, now);
        UUID sessionId = UUID.randomUUID();
        SignIn.Tokens tokens = signIn.openSession(sessionId, userId, user.roles(), device, now, method);
        events.publishEvent(new MfaChallengePassed(userId, sessionId, method, device.ip(), RequestIds.current(), now));
        if (method == ProofMethod.RECOVERY_CODE) {
            log.info("mfa_recovery_code_used user_id={}", userId);
        }
        return new Outcome.Opened(tokens, user.email());
    }
}
