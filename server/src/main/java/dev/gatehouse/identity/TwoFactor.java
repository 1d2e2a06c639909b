package dev.gatehouse.identity;

import dev.gatehouse.identity.mfa.Base32;
import dev.gatehouse.identity.mfa.MfaChallenges;
import dev.gatehouse.identity.mfa.OtpauthUri;
import dev.gatehouse.identity.mfa.QrCodes;
import dev.gatehouse.identity.mfa.RecoveryCodes;
import dev.gatehouse.identity.mfa.Totp;
import dev.gatehouse.identity.mfa.TotpFactors;
import dev.gatehouse.platform.MasterKey;
import dev.gatehouse.platform.OpaqueTokens;
import dev.gatehouse.platform.RequestIds;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.OptionalLong;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Two-factor sign-in with TOTP (RFC 6238): enrollment (start, then confirm with a code, which turns it on
 * and hands out recovery codes), turning it off, new recovery codes, and checking a user's codes.
 *
 * <p>Changes to one user's factors are serialised on their {@code users} row, the same lock password
 * sign-in takes, so a sign-in racing a change sees it either wholly before or wholly after. Each change
 * publishes its record event ({@link MfaEnabled}, {@link MfaDisabled}, {@link RecoveryCodesRegenerated})
 * inside the transaction. Nothing is revoked: sessions stay as they are.
 */
@Service
class TwoFactor {

    private static final Logger log = LoggerFactory.getLogger(TwoFactor.class);

    /** 160 bits, the HMAC-SHA1 output size RFC 4226 §4 recommends for the shared secret. */
    static final int SECRET_BYTES = 20;

    record Enrollment(String secret, String otpauthUri, String qrPng) {}

    private final Users users;
    private final TotpFactors factors;
    private final RecoveryCodes recoveryCodes;
    private final MfaChallenges challenges;
    private final MasterKey masterKey;
    private final AuthSettings settings;
    private final Clock clock;
    private final TransactionTemplate tx;
    private final ApplicationEventPublisher events;

    TwoFactor(
            Users users,
            TotpFactors factors,
            RecoveryCodes recoveryCodes,
            MfaChallenges challenges,
            MasterKey masterKey,
            AuthSettings settings,
            Clock clock,
            TransactionTemplate tx,
            ApplicationEventPublisher events) {
        this.users = users;
        this.factors = factors;
        this.recoveryCodes = recoveryCodes;
        this.challenges = challenges;
        this.masterKey = masterKey;
        this.settings = settings;
        this.clock = clock;
        this.tx = tx;
        this.events = events;
    }

    /**
     * A new secret, kept sealed until a code confirms it. If two-factor sign-in is already on, this is a
     * re-enrollment: the current authenticator keeps working until the new one is confirmed.
     */
    Enrollment start(User user) {
        byte[] secret = OpaqueTokens.randomBytes(SECRET_BYTES);
        tx.executeWithoutResult(status -> factors.startEnrollment(user.id(), masterKey.seal(secret), clock.instant()));
        String base32 = Base32.encode(secret);
        String uri = OtpauthUri.totp(settings.mfa().issuer(), user.email(), base32);
        return new Enrollment(base32, uri, QrCodes.pngBase64(uri));
    }

    /** Confirms the pending secret with a code from it: two-factor sign-in is on; returns fresh recovery codes. */
    List<String> confirm(UUID userId, @Nullable UUID sessionId, String code) {
        return tx.execute(status -> {
            Instant now = clock.instant();
            users.lock(userId);
            TotpFactors.Factor factor = factors.find(userId).orElseThrow(IdentityFailures::mfaEnrollmentNotStarted);
            byte[] pending = factor.pendingSealed();
            if (pending == null) throw IdentityFailures.mfaEnrollmentNotStarted();
            byte[] secret = open(pending, userId);
            if (secret == null) throw IdentityFailures.mfaEnrollmentNotStarted();
            // A new secret has no history: any step in the window proves the app has it. That step then
            // counts as used, so the confirming code cannot sign in again.
            long step = Totp.match(secret, code, now, Long.MIN_VALUE)
                    .orElseThrow(() -> IdentityFailures.mfaCodeInvalid(/* signIn= */ false));
            boolean reEnrolled = users.mfaEnabled(userId);
            factors.confirm(userId, pending, step, now);
            users.setMfaEnabledAt(userId, now, now);
            // Sign-ins half-way through their second factor finish against the new authenticator or not at all.
            challenges.spendAll(userId, now);
            List<String> codes = recoveryCodes.replace(userId, now);
            events.publishEvent(new MfaEnabled(userId, sessionId, reEnrolled, RequestIds.current(), now));
            log.info("mfa_enabled user_id={} re_enrolled={}", userId, reEnrolled);
            return codes;
        });
    }

    /** Turns two-factor sign-in off: the secret and the recovery codes are deleted. */
    void disable(UUID userId, @Nullable UUID sessionId) {
        tx.executeWithoutResult(status -> {
            Instant now = clock.instant();
            users.lock(userId);
            if (!users.mfaEnabled(userId)) throw IdentityFailures.mfaNotEnabled();
            factors.delete(userId);
            recoveryCodes.deleteAll(userId);
            challenges.spendAll(userId, now);
            users.setMfaEnabledAt(userId, null, now);
            events.publishEvent(new MfaDisabled(userId, sessionId, RequestIds.current(), now));
            log.info("mfa_disabled user_id={}", userId);
        });
    }

    /** Replaces the recovery codes; the old ones stop working at once. */
    List<String> regenerateRecoveryCodes(UUID userId, @Nullable UUID sessionId) {
        return tx.execute(status -> {
            Instant now = clock.instant();
            users.lock(userId);
            if (!users.mfaEnabled(userId)) throw IdentityFailures.mfaNotEnabled();
            List<String> codes = recoveryCodes.replace(userId, now);
            events.publishEvent(new RecoveryCodesRegenerated(userId, sessionId, RequestIds.current(), now));
            log.info("recovery_codes_regenerated user_id={}", userId);
            return codes;
        });
    }

    /**
     * Accepts a code from the user's confirmed authenticator, once: only for a time step after the last
     * one accepted, recorded atomically ({@link TotpFactors#advance}). Runs in the caller's transaction.
     */
    boolean acceptCode(UUID userId, String code, Instant now) {
        TotpFactors.Factor factor = factors.find(userId).orElse(null);
        if (factor == null || factor.secretSealed() == null) return false;
        byte[] secret = open(factor.secretSealed(), userId);
        if (secret == null) return false;
        OptionalLong step = Totp.match(secret, code, now, factor.lastUsedStep());
        return step.isPresent() && factors.advance(userId, step.getAsLong(), now);
    }

    /** Uses one of the user's recovery codes, once. Runs in the caller's transaction. */
    boolean acceptRecoveryCode(UUID userId, String code, Instant now) {
        return recoveryCodes.use(userId, code, now);
    }

    /**
     * The secret, or null when the master key cannot open it (the key was changed or lost): then no code
     * matches, and the user gets in with a recovery code and enrolls again (see operations.md).
     */
    private byte @Nullable [] open(byte[] sealed, UUID userId) {
        try {
            return masterKey.open(sealed);
        } catch (IllegalStateException e) {
            log.error("totp_secret_unreadable user_id={} (was the master key changed?)", userId);
            return null;
        }
    }
}
